# mkBootCheck: turn a NixOS configuration into a derivation that boots its VM
# inside the Nix build and judges the serial console with bootcheck.
#
#   nixos-rs.lib.mkBootCheck { nixosConfiguration = self.nixosConfigurations.my-host; }
#
# Two derivations come out of it:
#   - `result` (passthru): always builds; $out holds report.json, serial.log,
#     junit.xml, spec.json, summary.txt and exit-code, plus
#     nix-support/failed when the boot did not pass (Hydra's convention) and
#     nix-support/hydra-build-products.
#   - the check itself: fails when `result` failed, printing the summary and
#     the store path of `result`, so `nix flake check` goes red while the
#     report stays readable with `nix build .#checks.<system>.<name>.result`.
{
  lib,
  # pkgs -> the bootcheck package for that pkgs' platform
  bootcheckFor,
}: {
  # An evaluated configuration (the result of nixpkgs.lib.nixosSystem) ...
  nixosConfiguration ? null,
  # ... or its `config` attribute set (either is enough).
  config ? nixosConfiguration.config,
  name ? config.system.name,
  # The VM is built from `virtualisation.vmVariant` (nixos/modules/virtualisation/build-vm.nix):
  # read autologin and probes from there, so VM-only settings count.
  vmConfig ? config.virtualisation.vmVariant or config,
  # Seconds for the whole run (boot, login, probes) and for a silent console.
  timeout ? 900,
  idleTimeout ? 300,
  # Probes default to what the oxidized module declares for this configuration.
  probes ? (vmConfig.oxidized.probes or []),
  # How bootcheck gets a shell for the probes; `null` = derive it from the
  # configuration (getty autologin if set, else no login and no probes).
  login ? null,
  # Merged into the generated bootcheck spec (patterns, disable, fatal_warnings...).
  extraSpec ? {},
  # Run without KVM under QEMU's software emulation: drops the "kvm" system
  # feature and multiplies the timeouts, for builders that have no /dev/kvm.
  emulated ? false,
  emulationSlowdown ? 8,
  # Make the serial port the console even when the configuration has graphics.
  forceSerialConsole ? true,
  pkgs ? nixosConfiguration.pkgs or (throw "mkBootCheck: pass `pkgs` when giving `config` only"),
}: let
  vmLib = import ./vm.nix {inherit lib;};
  slow = t:
    if emulated
    then t * emulationSlowdown
    else t;

  autologinUser = vmConfig.services.getty.autologinUser or null;
  derivedLogin =
    if autologinUser != null
    then {autologin = true;}
    else null;
  effectiveLogin =
    if login != null
    then login
    else derivedLogin;

  # `oxidized.probes` entries carry name, component, command, expect, timeout;
  # `needsNixos` is nixos-rs' own field, not the checker's: left out.
  probeSpec =
    map (p: {
      inherit (p) name command expect;
      component = p.component or null;
      timeout = slow (p.timeout or 30);
      ignore_exit = p.ignore_exit or false;
    })
    probes;

  spec = lib.recursiveUpdate ({
      inherit name;
      timeout = slow timeout;
      idle_timeout = slow idleTimeout;
    }
    // lib.optionalAttrs (effectiveLogin != null) {
      login = effectiveLogin // {timeout = slow (effectiveLogin.timeout or 120);};
      probes = probeSpec;
    })
  extraSpec;

  vm =
    if forceSerialConsole && !vmLib.bootsKernelDirectly vmConfig
    then
      throw ''
        mkBootCheck ${name}: forceSerialConsole puts console=${vmLib.serialConsole pkgs.stdenv.hostPlatform} on the
        kernel's command line through QEMU_KERNEL_PARAMS, which qemu-vm.nix passes
        only when QEMU boots the kernel directly; this VM starts a boot loader.
        Put the console in the configuration instead (boot.kernelParams and
        virtualisation.graphics = false in virtualisation.vmVariant) and pass
        forceSerialConsole = false.''
    else config.system.build.vm;
  bootcheck = bootcheckFor pkgs;

  result =
    pkgs.runCommand "boot-check-${name}-result" {
      nativeBuildInputs = [bootcheck];
      specJson = builtins.toJSON spec;
      passAsFile = ["specJson"];
      # The nixos-test feature marks builders meant for VM tests (as NixOS's
      # own test derivations do, nixos/lib/testing/run.nix); kvm makes Nix
      # expose /dev/kvm in the sandbox.
      requiredSystemFeatures =
        ["nixos-test"]
        ++ lib.optional (!emulated) "kvm";
      meta.timeout = slow timeout + 600;
      passthru = {inherit spec vm config;};
    } ''
      mkdir -p "$out/nix-support"
      cp "$specJsonPath" "$out/spec.json"
      # The VM's run script (nixos/modules/virtualisation/qemu-vm.nix) keeps
      # its state in $TMPDIR when USE_TMPDIR is set, and creates the disk
      # image at NIX_DISK_IMAGE if it does not exist: a throw-away disk.
      ${vmLib.runEnv {
        inherit vmConfig;
        platform = pkgs.stdenv.hostPlatform;
        stateDir = ''"$TMPDIR"'';
        serial = forceSerialConsole;
      }}
      set +e
      bootcheck run \
        --spec "$out/spec.json" \
        --log "$out/serial.log" \
        --report "$out/report.json" \
        --junit "$out/junit.xml" \
        -- ${lib.getExe vm} 2>&1 | tee "$out/summary.txt"
      rc=''${PIPESTATUS[0]}
      set -e
      echo "$rc" > "$out/exit-code"
      for f in report.json serial.log junit.xml; do
        [ -e "$out/$f" ] && echo "file $f $out/$f" >> "$out/nix-support/hydra-build-products"
      done
      if [ "$rc" -ne 0 ]; then
        echo "bootcheck exited $rc" > "$out/nix-support/failed"
      fi
    '';
in
  pkgs.runCommand "boot-check-${name}" {
    passthru = {inherit result spec;};
    meta.description = "Boots ${name}'s VM and checks its serial console with bootcheck";
  } ''
    if [ -e ${result}/nix-support/failed ]; then
      cat ${result}/summary.txt >&2 || true
      echo >&2
      echo "boot check ${name} failed; report, log and JUnit are in ${result}" >&2
      exit 1
    fi
    mkdir -p "$out"
    ln -s ${result} "$out/result"
  ''
