# What the boot checks, the desk apps and the test-machine profile share
# about a configuration's VM (nixos/modules/virtualisation/qemu-vm.nix).
{lib}: rec {
  # The serial port QEMU's machine puts first: the console the checker reads.
  serialConsole = platform:
    if platform.isAarch64
    then "ttyAMA0"
    else "ttyS0";

  # nixosConfigurations are not per system: x86_64-linux keeps the plain
  # names, other systems get "-<cpu>" (nixos-rs-aarch64).
  hostSuffix = system: lib.optionalString (system != "x86_64-linux") "-${lib.head (lib.splitString "-" system)}";

  # Whether QEMU_KERNEL_PARAMS reaches the kernel: qemu-vm.nix appends it to
  # -append only when QEMU boots the kernel directly (directBoot, the
  # default without a boot loader).
  bootsKernelDirectly = vmConfig: vmConfig.virtualisation.directBoot.enable or (!(vmConfig.virtualisation.useBootLoader or false));

  # Shell lines that set what qemu-vm.nix's run script reads, for a
  # throw-away run: state in `stateDir` (a shell word), a disk image there
  # only when the configuration has one (diskImage = null: / is a tmpfs and
  # no drive is attached), and with `serial` the serial port as console.
  runEnv = {
    vmConfig,
    platform,
    stateDir,
    serial ? true,
  }: let
    name = vmConfig.system.name;
    hasDisk = (vmConfig.virtualisation.diskImage or "default") != null;
  in
    ''
      export TMPDIR=${stateDir} USE_TMPDIR=1
    ''
    + (
      if hasDisk
      then ''
        export NIX_DISK_IMAGE=${stateDir}/${name}.qcow2
      ''
      else ''
        unset NIX_DISK_IMAGE
      ''
    )
    + lib.optionalString serial ''
      export QEMU_OPTS="''${QEMU_OPTS:-} -nographic"
      export QEMU_KERNEL_PARAMS="''${QEMU_KERNEL_PARAMS:-} console=${serialConsole platform},115200n8"
    '';
}
