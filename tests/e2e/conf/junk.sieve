# Files what mailwarden-spam marks as spam into Junk (the header SpamAssassin setups already test).
require ["fileinto", "mailbox"];
if header :is "X-Spam-Flag" "YES" {
  fileinto :create "Junk";
  stop;
}
