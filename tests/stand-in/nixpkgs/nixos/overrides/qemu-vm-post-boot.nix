# nixpkgs before PR #496852 (2026-03): qemu-vm.nix loads the VM's Nix store
# database from boot.postBootCommands, which nixos-init refuses
# (nixos/modules/system/activation/nixos-init.nix, PR #474454).
{
  virtualisation.vmVariant.boot.postBootCommands = ''
    # After booting, register the contents of the Nix store in the Nix database.
    nix-store --load-db < /nix/store/nix-path-registration
  '';
}
