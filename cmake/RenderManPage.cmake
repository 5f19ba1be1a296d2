# cmake -DBIN=daemon -DIN=page.8.in -DOUT=page.8 -DVERSION=x -P RenderManPage.cmake
# Substitutes __PARAMS__ (the daemon's key table, from --print-params=man) and __VERSION__.
cmake_minimum_required(VERSION 3.25)
execute_process(COMMAND ${BIN} --print-params=man OUTPUT_VARIABLE PARAMS RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${BIN} --print-params=man failed")
endif()
file(READ ${IN} PAGE)
string(REPLACE "__PARAMS__" "${PARAMS}" PAGE "${PAGE}")
string(REPLACE "__VERSION__" "${VERSION}" PAGE "${PAGE}")
file(WRITE ${OUT} "${PAGE}")
