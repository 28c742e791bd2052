# The commands of GNU findutils and of uutils findutils as nixpkgs builds
# them (see coreutils-commands.nix for how they are used).
_: {
  # nixpkgs' findutils installs find and xargs in `out`; locate and
  # updatedb are in its separate `locate` output
  # (pkgs/tools/misc/findutils/default.nix), which this swap leaves alone.
  gnu = _version: ["find" "xargs"];

  # uutils findutils installs find and xargs (nixpkgs removes its test
  # helper testing-commandline, pkgs/by-name/uu/uutils-findutils/package.nix);
  # from 0.9.0 also locate and updatedb, which GNU's `out` does not have.
  rust = _version: {
    find = "find";
    xargs = "xargs";
  };
}
