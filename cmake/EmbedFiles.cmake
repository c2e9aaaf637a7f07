# embed_files(TARGET OUT_VAR DIR GLOB): turns every file matching GLOB in DIR into a generated .cpp that
# defines one entry of a table {name, contents}, so the binary needs no runtime file lookups (ninja inlines
# browse.py the same way). The table is declared in base/embedded.h.
function(embed_files target out_var dir glob)
  file(GLOB files CONFIGURE_DEPENDS "${dir}/${glob}")
  list(SORT files)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/generated/${target}.cpp")
  string(REPLACE ";" "|" files_arg "${files}")  # a ';' would split the COMMAND argument
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DTABLE=${target} "-DFILES=${files_arg}"
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_files_run.cmake"
    DEPENDS ${files} "${PROJECT_SOURCE_DIR}/cmake/embed_files_run.cmake"
    COMMENT "Embedding ${glob} from ${dir}"
    VERBATIM)
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()
