# Files what the spam milter marks into Junk.
# TODO(e2e, mailwarden-spam): no test asserts this yet: the GTUBE case waits for mailwarden-spam
# (the header below is a placeholder for the one that milter will add).
require ["fileinto", "mailbox"];
if header :is "X-Mailwarden-Spam-Flag" "YES" {
  fileinto :create "Junk";
  stop;
}
