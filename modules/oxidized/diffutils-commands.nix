# The commands of GNU diffutils and of uutils diffutils as nixpkgs builds
# them (see coreutils-commands.nix for how they are used).
{lib}: {
  # GNU diffutils 3.x.
  gnu = _version: ["cmp" "diff" "diff3" "sdiff"];

  # uutils diffutils installs one binary, `diffutils` (meta.mainProgram,
  # pkgs/by-name/uu/uutils-diffutils/package.nix). Up to 0.4.x it is a diff
  # whatever its argv[0] (src/params.rs); from 0.5.0 it dispatches on the
  # name it is called by, `diff` or `cmp` (src/main.rs). diff3 and sdiff
  # stay GNU's.
  rust = version:
    {diff = "diffutils";}
    // lib.optionalAttrs (lib.versionAtLeast version "0.5.0") {cmp = "diffutils";};
}
