#include "base/duktape_run.h"

#include <duktape.h>

namespace fleetpack {

namespace {

duk_ret_t print_line(duk_context* ctx) {
  duk_push_global_stash(ctx);
  duk_get_prop_string(ctx, -1, "fp_output");
  auto* output = static_cast<std::string*>(duk_get_pointer(ctx, -1));
  duk_pop_2(ctx);
  output->append(duk_safe_to_string(ctx, 0)).push_back('\n');
  return 0;
}

}  // namespace

bool duktape_run(const std::vector<DuktapeScript>& scripts, std::string& output, std::string& error) {
  duk_context* ctx = duk_create_heap_default();
  if (!ctx) {
    error = "cannot create a Duktape heap";
    return false;
  }
  duk_push_global_stash(ctx);
  duk_push_pointer(ctx, &output);
  duk_put_prop_string(ctx, -2, "fp_output");
  duk_pop(ctx);
  duk_push_c_function(ctx, print_line, 1);
  duk_put_global_string(ctx, "print");
  bool ok = true;
  for (const auto& s : scripts) {
    duk_push_string(ctx, s.name.c_str());
    if (duk_pcompile_lstring_filename(ctx, 0, s.source.data(), s.source.size()) != 0 ||
        duk_pcall(ctx, 0) != DUK_EXEC_SUCCESS) {
      // The error's stack names file and line where Duktape has them.
      if (duk_is_error(ctx, -1)) {
        duk_get_prop_string(ctx, -1, "stack");
        error = s.name + ": " + duk_safe_to_string(ctx, -1);
        duk_pop(ctx);
      } else {
        error = s.name + ": " + duk_safe_to_string(ctx, -1);
      }
      ok = false;
      break;
    }
    duk_pop(ctx);
  }
  duk_destroy_heap(ctx);
  return ok;
}

}  // namespace fleetpack
