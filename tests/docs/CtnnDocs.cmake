# Reads the code blocks of ctnn's Markdown documents and the markers that say how each is checked.
# Used at configure time (tests/docs/CMakeLists.txt) and by test scripts (cmake -P).
#
# The markers are HTML comments, invisible on a rendered page. A block marker is the last non-blank
# line before a fenced code block:
#
#   <!-- ctnn:fragment REASON -->      not compiled; REASON (required) says why
#   <!-- ctnn:file PATH -->            the block is the repository's file PATH, byte for byte
#   <!-- ctnn:part NAME -->            named code, compiled only where another block names it
#   <!-- ctnn:compile [with=A,B] [body] [include=DIR] -->
#                                      a C++ block compiled as a translation unit: after the parts A, B
#                                      (at namespace scope); `body`: the block's lines (but #include
#                                      lines) inside a function; include=DIR: DIR (from the repository
#                                      root) on the include path. An unmarked C++ block is compiled alone.
#                                      A block with no #include line is compiled after
#                                      #include <ctnn/ctnn.hpp>.
#   <!-- ctnn:cmake [with=A] [FILE=SOURCE]... -->
#                                      a CMake block configured and built as a project of its own against
#                                      the installed ctnn (after the parts A), with FILE (a path in the
#                                      project) copied from SOURCE: a repository path, or @NAME for a
#                                      part (a C++ file made of a part gets `int main() {}` if it has
#                                      none). An unmarked CMake block is such a project with no files.
#   <!-- ctnn:output PROGRAM -->       the block is PROGRAM's output, abridged: every line but `...`
#                                      appears in what the program prints, whole and in this order
#
# A part may also be hidden, its code inside the comment itself (for context a reader assumes, such
# as a network `net` and its data):
#
#   <!-- ctnn:part NAME
#   code
#   -->
#
# In running text, `TEXT`<!-- ctnn:output PROGRAM --> says that TEXT appears in PROGRAM's output.
# Every C++ (cpp, c++) and CMake block is compiled, configured, compared or marked as a fragment.
# Other markers that may appear: <!-- ctnn:plain-compile --> (cmake/CtnnPlainCompile.cmake) and
# <!-- ctnn:results FILE#SECTION --> ... <!-- ctnn:end-results --> (bench/update-docs.sh).

# Semicolons, brackets and backslashes would break CMake's lists: lines are kept with these four
# characters replaced by control characters, and ctnn_docs_unescape restores them.
string(ASCII 1 ctnn_docs_semicolon)
string(ASCII 2 ctnn_docs_open_bracket)
string(ASCII 3 ctnn_docs_close_bracket)
string(ASCII 4 ctnn_docs_backslash)

function(ctnn_docs_unescape out text)
  string(REPLACE "${ctnn_docs_semicolon}" ";" text "${text}")
  string(REPLACE "${ctnn_docs_open_bracket}" "[" text "${text}")
  string(REPLACE "${ctnn_docs_close_bracket}" "]" text "${text}")
  string(REPLACE "${ctnn_docs_backslash}" "\\" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(ctnn_docs_escape out text)
  string(REPLACE "\\" "${ctnn_docs_backslash}" text "${text}")
  string(REPLACE ";" "${ctnn_docs_semicolon}" text "${text}")
  string(REPLACE "[" "${ctnn_docs_open_bracket}" text "${text}")
  string(REPLACE "]" "${ctnn_docs_close_bracket}" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# ctnn_docs_read_lines(<prefix> <file>): <prefix>_lines, the file's lines (escaped), and <prefix>_count.
function(ctnn_docs_read_lines prefix file)
  file(READ "${file}" text)
  ctnn_docs_escape(text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  list(LENGTH lines count)
  set(${prefix}_lines "${lines}" PARENT_SCOPE)
  set(${prefix}_count ${count} PARENT_SCOPE)
endfunction()

# ctnn_docs_scan(<file> <label>): the code blocks and markers of one document, as variables in the
# caller's scope (every text escaped, lines joined with "\n"):
#   docs_blocks             indices 0..n-1 of the blocks
#   docs_block_<i>_line     the line number of the block's first line of code
#   docs_block_<i>_lang     the info string's first word (cpp, cmake, sh, or empty)
#   docs_block_<i>_kind     the marker's kind (fragment, file, part, compile, cmake, output, ...), or
#                           empty when the block has none
#   docs_block_<i>_args     the marker's words after the kind
#   docs_block_<i>_code     the block's code
#   docs_parts              the names of the parts, visible and hidden
#   docs_part_<name>_code, docs_part_<name>_line
#   docs_quotes             indices 0..m-1 of the inline quotes `TEXT`<!-- ctnn:output PROGRAM -->
#   docs_quote_<j>_text, docs_quote_<j>_program, docs_quote_<j>_line
#   docs_problems           messages for malformed markers and indented code blocks ("<label>:<line>: ...")
function(ctnn_docs_scan file label)
  ctnn_docs_read_lines(doc "${file}")
  set(blocks "")
  set(parts "")
  set(quotes "")
  set(problems "")
  set(block_count 0)
  set(quote_count 0)
  set(state text)          # text, code (inside a fence) or hidden (inside a hidden part)
  set(last_nonblank "")     # the last non-blank line outside code, for block markers
  set(last_nonblank_line 0)
  set(previous_blank TRUE)
  set(number 0)
  foreach(line IN LISTS doc_lines)
    math(EXPR number "${number} + 1")
    if(state STREQUAL "code")
      if(line MATCHES "^ ? ? ?(```+|~~~+) *$" AND CMAKE_MATCH_1 STREQUAL fence)
        set(docs_block_${block}_code "${code}" PARENT_SCOPE)
        if(DEFINED visible_part_${block})
          set(docs_part_${visible_part_${block}}_code "${code}" PARENT_SCOPE)
        endif()
        set(state text)
        set(last_nonblank "")
      else()
        if(indent GREATER 0)
          string(REGEX REPLACE "^ ? ? ?" "" line "${line}")  # the fence's indentation, as CommonMark strips it
        endif()
        if(code_started)
          string(APPEND code "\n${line}")
        else()
          set(code "${line}")
          set(code_started TRUE)
        endif()
      endif()
      continue()
    endif()
    if(state STREQUAL "hidden")
      if(line MATCHES "^ *--> *$")
        set(docs_part_${part}_code "${code}" PARENT_SCOPE)
        set(state text)
        set(last_nonblank "")
      elseif(code_started)
        string(APPEND code "\n${line}")
      else()
        set(code "${line}")
        set(code_started TRUE)
      endif()
      continue()
    endif()

    # Running text: inline quotes, hidden parts, fences.
    set(rest "${line}")
    while(rest MATCHES "`([^`]+)`<!-- ctnn:output ([A-Za-z0-9_]+) -->(.*)$")
      set(docs_quote_${quote_count}_text "${CMAKE_MATCH_1}" PARENT_SCOPE)
      set(docs_quote_${quote_count}_program "${CMAKE_MATCH_2}" PARENT_SCOPE)
      set(docs_quote_${quote_count}_line ${number} PARENT_SCOPE)
      set(rest "${CMAKE_MATCH_3}")
      list(APPEND quotes ${quote_count})
      math(EXPR quote_count "${quote_count} + 1")
    endwhile()
    if(line MATCHES "^<!-- ctnn:part ([^ ]+) *$")
      set(part "${CMAKE_MATCH_1}")
      if(part IN_LIST parts)
        list(APPEND problems "${label}:${number}: a second part named ${part}")
      endif()
      list(APPEND parts "${part}")
      math(EXPR first_code_line "${number} + 1")
      set(docs_part_${part}_line ${first_code_line} PARENT_SCOPE)
      set(state hidden)
      set(code "")
      set(code_started FALSE)
      continue()
    endif()
    if(line MATCHES "^( ? ? ?)(```+|~~~+)([^`]*)$")
      string(LENGTH "${CMAKE_MATCH_1}" indent)
      set(fence "${CMAKE_MATCH_2}")
      string(STRIP "${CMAKE_MATCH_3}" info)
      string(REGEX REPLACE " .*" "" lang "${info}")
      set(block ${block_count})
      list(APPEND blocks ${block})
      math(EXPR block_count "${block_count} + 1")
      math(EXPR first_code_line "${number} + 1")
      set(docs_block_${block}_line ${first_code_line} PARENT_SCOPE)
      set(docs_block_${block}_lang "${lang}" PARENT_SCOPE)
      set(kind "")
      set(args "")
      if(last_nonblank MATCHES "^<!-- ctnn:([a-z-]+)(.*)-->$")
        set(kind "${CMAKE_MATCH_1}")
        string(STRIP "${CMAKE_MATCH_2}" args)
        if(kind STREQUAL "part")
          if(args STREQUAL "" OR args MATCHES " ")
            list(APPEND problems "${label}:${last_nonblank_line}: a part needs one name: <!-- ctnn:part NAME -->")
          elseif(args IN_LIST parts)
            list(APPEND problems "${label}:${last_nonblank_line}: a second part named ${args}")
          else()
            list(APPEND parts "${args}")
            set(docs_part_${args}_line ${first_code_line} PARENT_SCOPE)
            set(visible_part_${block} "${args}")
          endif()
        endif()
      endif()
      set(docs_block_${block}_kind "${kind}" PARENT_SCOPE)
      set(docs_block_${block}_args "${args}" PARENT_SCOPE)
      set(state code)
      set(code "")
      set(code_started FALSE)
      continue()
    endif()
    # An indented code block (a blank line, then four spaces, outside a list) escapes the markers.
    if(line MATCHES "^    [^ ]" AND previous_blank AND NOT last_nonblank MATCHES "^( *[-*+] | *[0-9]+\\. |    )")
      list(APPEND problems "${label}:${number}: an indented code block: fence it (```cpp ... ```) so that it is checked")
    endif()
    if(line MATCHES "^[ \t]*$")
      set(previous_blank TRUE)
    else()
      set(previous_blank FALSE)
    endif()
    if(NOT line MATCHES "^[ \t]*$")
      if(last_nonblank MATCHES "^<!-- ctnn:(fragment|file|part|compile|cmake|output|plain-compile)[ -]")
        list(APPEND problems "${label}:${last_nonblank_line}: the marker is not followed by a code block")
      endif()
      set(last_nonblank "${line}")
      set(last_nonblank_line ${number})
    endif()
  endforeach()
  if(NOT state STREQUAL "text")
    list(APPEND problems "${label}: a code block or hidden part is not closed at the end of the file")
  endif()
  set(docs_blocks "${blocks}" PARENT_SCOPE)
  set(docs_parts "${parts}" PARENT_SCOPE)
  set(docs_quotes "${quotes}" PARENT_SCOPE)
  set(docs_problems "${problems}" PARENT_SCOPE)
endfunction()

