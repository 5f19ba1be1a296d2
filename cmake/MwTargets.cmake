# Helpers that give every target the same warnings, sanitizers and include root.
# -Wnull-dereference is left out: with g++ 12 at -O2 it flags libstdc++ internals (false positives).
set(MW_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough
    -Wno-missing-field-initializers)  # partial aggregate rows are how key tables read best
# g++ 12 at -O3 reports std::string concatenation inside libstdc++ as -Wrestrict (GCC bug
# 105329, fixed in 13): a Release build with -Werror would fail on code that is fine.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND MW_WARNINGS -Wno-restrict)
endif()

function(mw_target_defaults target)
  target_compile_options(${target} PRIVATE ${MW_WARNINGS})
  if(MW_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
endfunction()

if(MW_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(MW_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# mw_add_library(NAME SOURCES... [LINKS libs...])
function(mw_add_library name)
  cmake_parse_arguments(A "" "" "SOURCES;LINKS" ${ARGN})
  add_library(${name} STATIC ${A_SOURCES})
  mw_target_defaults(${name})
  target_link_libraries(${name} PUBLIC ${A_LINKS})
endfunction()

# mw_add_executable(NAME SOURCES... [LINKS libs...])
function(mw_add_executable name)
  cmake_parse_arguments(A "" "" "SOURCES;LINKS" ${ARGN})
  add_executable(${name} ${A_SOURCES})
  mw_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ${A_LINKS})
endfunction()

# mw_add_man_page(PROGRAM IN_FILE): renders IN_FILE (prose with __PARAMS__ and __VERSION__) into
# man/PROGRAM.8 with the program's key table (--print-params=man), and installs it.
function(mw_add_man_page program in_file)
  set(out ${PROJECT_BINARY_DIR}/man/${program}.8)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DBIN=$<TARGET_FILE:${program}> -DIN=${in_file} -DOUT=${out}
            -DVERSION=${PROJECT_VERSION} -P ${PROJECT_SOURCE_DIR}/cmake/RenderManPage.cmake
    DEPENDS ${program} ${in_file} ${PROJECT_SOURCE_DIR}/cmake/RenderManPage.cmake)
  add_custom_target(man-${program} ALL DEPENDS ${out})
  install(FILES ${out} DESTINATION share/man/man8)
endfunction()
