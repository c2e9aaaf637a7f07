// keygen, verify, delta, patch: signing and checking releases (docs/release.md).
#include <memory>

#include <fmt/format.h>

#include "cli/commands.h"
#include "core/delta.h"
#include "core/release_tree.h"
#include "core/release_verify.h"

namespace fleetpack::cli {

namespace {
const char kExitCodes[] =
    "Exit codes: 0 ok, 1 a check failed (verify found a problem), 2 usage error, 3 unreadable or "
    "invalid input (release folder, key), 4 internal error.";
}  // namespace

void register_release_commands(CLI::App& app, std::function<int()>& run) {
  auto key_prefix = std::make_shared<std::string>();
  CLI::App* keygen = app.add_subcommand(
      "keygen",
      "Create a signing key pair in minisign's format: PREFIX.key (secret, mode 0600) and PREFIX.pub");
  keygen->add_option("-o,--out", *key_prefix, "PREFIX of the two files; existing files are never replaced")
      ->required();
  keygen->footer(kExitCodes);
  keygen->callback([&run, key_prefix] {
    run = [key_prefix] {
      Diagnostics diags;
      if (auto id = generate_key_files(*key_prefix, diags))
        print(fmt::format("key {}: secret key {}.key (keep it out of the repository), public key {}.pub\n",
                          *id, *key_prefix, *key_prefix));
      return finish(diags);
    };
  });

  auto verify_opts = std::make_shared<VerifyOptions>();
  auto verify_release_dir = std::make_shared<std::string>();
  auto verify_pubkey = std::make_shared<std::string>();
  auto verify_previous = std::make_shared<std::string>();
  CLI::App* verify = app.add_subcommand(
      "verify",
      "Check a release: schema, hashes, sizes, decompression, patches, signatures, paths and links");
  verify->add_option("release", *verify_release_dir, "the release folder, <out>/<app>/<version>")->required();
  verify->add_option(
      "--pubkey", *verify_pubkey,
      "minisign public key (PREFIX.pub): index and every manifest must carry a valid signature");
  verify->add_option("--previous", *verify_previous,
                     "the release the deltas start from: apply every patch and compare with the new file");
  verify->footer(kExitCodes);
  verify->callback([&run, verify_release_dir, verify_pubkey, verify_previous] {
    run = [verify_release_dir, verify_pubkey, verify_previous] {
      Diagnostics diags;
      VerifyOptions o;
      o.release = *verify_release_dir;
      if (!verify_pubkey->empty()) o.pubkey = *verify_pubkey;
      if (!verify_previous->empty()) o.previous = *verify_previous;
      VerifySummary s = verify_release(o, diags);
      int code = finish(diags);
      if (code == 0 || code == 1) print(render_verify_summary(s, code == 0));
      return code;
    };
  });

  auto delta_opts = std::make_shared<DeltaOptions>();
  auto delta_dirs = std::make_shared<std::vector<std::string>>(2);
  auto delta_sign = std::make_shared<std::string>();
  CLI::App* delta = app.add_subcommand(
      "delta", "Add zstd patches from OLD's files to NEW's changed ones into NEW (listed in its manifests)");
  delta->add_option("old", (*delta_dirs)[0], "the previous release folder")->required();
  delta->add_option("new", (*delta_dirs)[1], "the release to add patches to (rewritten atomically)")
      ->required();
  delta->add_option("--sign", *delta_sign,
                    "minisign secret key to re-sign NEW (required when NEW is signed)");
  delta->add_flag("--archive", delta_opts->archive, "rewrite <NEW>.tar.zst as well");
  delta->footer(kExitCodes);
  delta->callback([&run, delta_opts, delta_dirs, delta_sign] {
    run = [delta_opts, delta_dirs, delta_sign] {
      Diagnostics diags;
      delta_opts->old_release = (*delta_dirs)[0];
      delta_opts->new_release = (*delta_dirs)[1];
      if (!delta_sign->empty()) delta_opts->sign_key = *delta_sign;
      if (auto r = make_release_deltas(*delta_opts, diags)) print(render_delta_result(*r));
      return finish(diags);
    };
  });

  auto patch_args = std::make_shared<std::vector<std::string>>(3);
  auto patch_sha = std::make_shared<std::string>();
  CLI::App* patch = app.add_subcommand(
      "patch",
      "Apply a release's patch (deltas/<sha256>.zst) to the old file: what a device does with a delta");
  patch->add_option("old", (*patch_args)[0], "the previous version's file (uncompressed)")->required();
  patch->add_option("patch", (*patch_args)[1], "the patch")->required();
  patch->add_option("-o,--out", (*patch_args)[2], "where to write the new file")->required();
  patch->add_option("--sha256", *patch_sha, "refuse the result unless it has this sha256 (the manifest's)");
  patch->footer(kExitCodes);
  patch->callback([&run, patch_args, patch_sha] {
    run = [patch_args, patch_sha] {
      Diagnostics diags;
      apply_patch_file((*patch_args)[0], (*patch_args)[1], (*patch_args)[2],
                       patch_sha->empty() ? std::nullopt : std::optional<std::string>(*patch_sha), diags);
      return finish(diags);
    };
  });
}

}  // namespace fleetpack::cli
