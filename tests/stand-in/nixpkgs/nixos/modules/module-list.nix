# The stub modules that stand in for nixos/modules/module-list.nix.
[
  ./misc.nix
  ./top-level.nix
  ./boot.nix
  ./users.nix
  ./environment.nix
  ./security.nix
  ./services.nix
  ./systemd.nix
  ./virtualisation/build-vm.nix
]
