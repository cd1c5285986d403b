# Writes the file IN as a C string constant rm_default_spec_json into OUT.
# Usage: cmake -DIN=file.json -DOUT=file.c -P embed.cmake
file(READ ${IN} content HEX)
string(LENGTH "${content}" hexlen)
math(EXPR nbytes "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE ${OUT} "/* generated from ${IN} by cmake/embed.cmake: do not edit */\n"
  "#include <stddef.h>\n"
  "const char rm_default_spec_json[] = {${bytes} 0x00};\n"
  "const size_t rm_default_spec_json_len = ${nbytes};\n")
