# parley_warnings(target): the project's warning set, errors when PARLEY_WERROR is on.
function(parley_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(PARLEY_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
