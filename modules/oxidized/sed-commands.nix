# The commands of GNU sed and of uutils sed as nixpkgs builds them
# (pkgs/by-name/uu/uutils-sed/package.nix installs bin/sed only; see
# coreutils-commands.nix for how the lists are used).
_: {
  gnu = _version: ["sed"];
  rust = _version: {sed = "sed";};
}
