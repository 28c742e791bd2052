# nixos/modules/virtualisation/build-vm.nix: virtualisation.vmVariant is the
# configuration extended with qemu-vm.nix, a nested evaluation, and
# system.build.vm is its VM.
{
  config,
  extendModules,
  lib,
  ...
}: let
  vmVariant = extendModules {modules = [./qemu-vm.nix];};
in {
  options.virtualisation.vmVariant = lib.mkOption {
    inherit (vmVariant) type;
    default = {};
    visible = "shallow";
  };
  config.system.build.vm = lib.mkDefault config.virtualisation.vmVariant.system.build.vm;
}
