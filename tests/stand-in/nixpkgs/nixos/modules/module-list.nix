# The modules that stand in for nixos/modules/module-list.nix.
[
  ./misc.nix
  ./top-level.nix
  ./boot.nix
  ./nixos-init.nix
  ./users.nix
  ./environment.nix
  ./security.nix
  ./security-wrappers.nix
  ./programs/shadow-su.nix
  ./services.nix
  ./systemd.nix
  ./virtualisation/build-vm.nix
]
