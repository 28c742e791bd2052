# The build scripts of lib/replacements.nix and of pkgs/{coreutils,
# uutils-findutils,uutils-diffutils}/package.nix for fake packages that are
# directories under `root`, so tests/modules/build-scripts can run them for real.
# Result: { <case> = "<script>"; gnuCoreutils = [ command ]; }.
{
  lib,
  root,
}: let
  repl = import ../../lib/replacements.nix {inherit lib;};
  # runCommand's build script, with $out set by the runner.
  runCommand = _name: _attrs: script: script;
  dir = pname: version: sub: {
    name = "${pname}-${version}";
    inherit pname version;
    outPath = "${root}/${sub}";
    meta = {};
  };
  gnuCu = dir "coreutils" "9.8";
  uu = dir "uutils-coreutils";
  coreutils = args: import ../../pkgs/coreutils/package.nix ({inherit lib runCommand;} // args);
  small = {
    gnu = ["cat" "chcon" "ls"];
    rust = {
      cat = "cat";
      ls = "ls";
    };
  };
in {
  gnuCoreutils = (import ../../pkgs/coreutils/commands.nix {inherit lib;}).gnu "9.8";

  # The shipped command lists against trees laid out like the packages.
  coreutils-uutils-0-2-2 = coreutils {
    coreutils = gnuCu "gnu";
    uutils-coreutils-noprefix = uu "0.2.2" "uu-0.2.2";
  };
  coreutils-uutils-0-4-0 = coreutils {
    coreutils = gnuCu "gnu";
    uutils-coreutils-noprefix = uu "0.4.0" "uu-0.4.0";
  };
  coreutils-keep-cp = coreutils {
    coreutils = gnuCu "gnu";
    uutils-coreutils-noprefix = uu "0.4.0" "uu-0.4.0";
    keepGnu = ["cp"];
  };
  coreutils-keep-unknown = coreutils {
    coreutils = gnuCu "gnu";
    uutils-coreutils-noprefix = uu "0.4.0" "uu-0.4.0";
    keepGnu = ["nosuch"];
  };
  # The lists drift from the packages.
  gnu-has-a-new-command = repl.mkCommandReplacement {
    inherit runCommand;
    original = dir "gnu" "1" "small-gnu-extra";
    rust = dir "rust" "1" "small-rust";
    commands = small;
  };
  gnu-lost-a-command = repl.mkCommandReplacement {
    inherit runCommand;
    original = dir "gnu" "1" "small-gnu-no-chcon";
    rust = dir "rust" "1" "small-rust";
    commands = small;
  };
  rust-gained-a-command = repl.mkCommandReplacement {
    inherit runCommand;
    original = dir "gnu" "1" "small-gnu";
    rust = dir "rust" "1" "small-rust-chcon";
    commands = small;
  };
  rust-lost-a-command = repl.mkCommandReplacement {
    inherit runCommand;
    original = dir "gnu" "1" "small-gnu";
    rust = dir "rust" "1" "small-rust-no-ls";
    commands = small;
  };
  diffutils-0-4-2 = import ../../pkgs/uutils-diffutils/package.nix {
    inherit lib runCommand;
    diffutils = dir "diffutils" "3.12" "gnu-diff";
    uutils-diffutils = dir "uutils-diffutils" "0.4.2" "uu-diff";
  };
  diffutils-0-5-0 = import ../../pkgs/uutils-diffutils/package.nix {
    inherit lib runCommand;
    diffutils = dir "diffutils" "3.12" "gnu-diff";
    uutils-diffutils = dir "uutils-diffutils" "0.5.0" "uu-diff";
  };
  findutils = import ../../pkgs/uutils-findutils/package.nix {
    inherit lib runCommand;
    findutils = dir "findutils" "4.10.0" "gnu-find";
    uutils-findutils = dir "uutils-findutils" "0.8.0" "uu-find";
  };
  launcher = repl.sameNameAs {
    inherit runCommand;
    original = dir "bash" "5.3p3" "bash";
    replacement = dir "brush-bash" "0.1.0" "launcher";
    require = ["bin/bash" "bin/sh"];
  };
  launcher-without-sh = repl.sameNameAs {
    inherit runCommand;
    original = dir "bash" "5.3p3" "bash";
    replacement = dir "brush-bash" "0.1.0" "launcher-no-sh";
    require = ["bin/bash" "bin/sh"];
  };
}
