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
#   - the check itself: fails when `result` failed; the last line of its log
#     is the verdict in one line (`bootcheck verdict`), after the summary
#     and the store path of `result`, so `nix flake check` goes red with the
#     reason while the report stays readable with
#     `nix build .#checks.<system>.<name>.result`.
#
# A configuration whose VM has no way to log in on the console gets one for
# the check's VM only: root logs in automatically on the serial console
# (extendModules of virtualisation.vmVariant), so the probes always run;
# the configuration itself is not changed.
#
# The oxidation meter is on (`oxidation`): after the probes, bootcheck
# lists the VM's processes and the report says how many are Rust, PID 1's
# language, which systemd ran stage 1 and stage 2 (checkers/README.md, "At
# boot time"). With `requireRust = true` the check also fails when an
# enabled component has no Rust process or command where it should
# (`oxidized.rustAtRuntime`: the time daemon's process, sudo on PATH,
# PID 1 for the Rust systemd, ...).
{lib}: {
  # An evaluated configuration (the result of nixpkgs.lib.nixosSystem) ...
  nixosConfiguration ? null,
  # ... or its `config` attribute set (then give `pkgs`, and a login).
  config ? nixosConfiguration.config,
  name ? config.system.name,
  # Seconds for the whole run (boot, login, probes) and for a silent console.
  timeout ? 900,
  idleTimeout ? 300,
  # Probes default to what the oxidized module declares for this
  # configuration's VM (virtualisation.vmVariant, so VM-only settings count).
  probes ? ((config.virtualisation.vmVariant or config).oxidized.probes or []),
  # The oxidation meter: list the VM's processes after the probes and
  # classify them (the report's `oxidation` section).
  oxidation ? true,
  # Fail the check when one of `rustAtRuntime` does not hold on the VM.
  requireRust ? false,
  # What must be Rust at run time, by default what the oxidized module
  # declares for the VM (the checker's oxidation.require format).
  rustAtRuntime ? ((config.virtualisation.vmVariant or config).oxidized.rustAtRuntime or []),
  # How bootcheck gets a shell for the probes (the spec's `login`); `null`:
  # the VM's getty autologin, or one made for the check's VM.
  login ? null,
  # Merged into the generated bootcheck spec (patterns, disable, fatal_warnings...).
  extraSpec ? {},
  # Run without KVM under QEMU's software emulation: drops the "kvm" system
  # feature and multiplies every timeout, for builders that have no /dev/kvm.
  emulated ? false,
  emulationSlowdown ? 8,
  # Make the serial port the console even when the configuration has graphics.
  forceSerialConsole ? true,
  pkgs ? nixosConfiguration.pkgs or (throw "mkBootCheck: pass `pkgs` when giving `config` only"),
  # The checker, built with the configuration's nixpkgs.
  bootcheck ? pkgs.callPackage ../pkgs/bootcheck/package.nix {},
}: let
  vmLib = import ../nix/vm.nix {inherit lib;};
  nrs = import ../modules/oxidized/lib.nix {inherit lib;};

  vmOf = c: c.virtualisation.vmVariant or c;
  autologinOf = c: (vmOf c).services.getty.autologinUser or null;

  # Probes as the probe type holds them (its defaults filled in), without
  # nixos-rs' own `needsNixos`, which the checker does not take.
  typed =
    (lib.evalModules {
      modules = [
        {
          options.probes = lib.mkOption {type = lib.types.listOf nrs.probeType;};
          config.probes = probes;
        }
      ];
    })
    .config
    .probes;
  probeSpec = map (p: removeAttrs p ["needsNixos"]) typed;

  # No login, and probes to run or processes to list: the check's VM logs
  # root in on the console.
  needsLogin = login == null && (probes != [] || oxidation) && autologinOf config == null;
  checked =
    if !needsLogin
    then config
    else if nixosConfiguration != null && nixosConfiguration ? extendModules
    then
      (nixosConfiguration.extendModules {
        modules = [{virtualisation.vmVariant.services.getty.autologinUser = lib.mkDefault "root";}];
      })
      .config
    # Without probes the meter only has nothing to measure, and the report
    # says so; required Rust cannot be shown without a shell.
    else if probes == [] && !requireRust
    then config
    else
      throw ''
        mkBootCheck ${name}: the configuration has ${toString (lib.length probes)} probe(s)${lib.optionalString requireRust " and requireRust"} and its VM no
        way to log in on the console, so they could not run. Pass `nixosConfiguration`
        (the check's VM then logs root in by itself), or set
        virtualisation.vmVariant.services.getty.autologinUser, or pass `login`.'';
  vmConfig = vmOf checked;

  effectiveLogin =
    if login != null
    then login
    else if vmConfig.services.getty.autologinUser or null != null
    then {autologin = true;}
    else null;

  # NixOS's security wrappers (/run/wrappers/bin/sudo) are copies of a
  # wrapper program that execs `source`
  # (nixos/modules/security/wrappers/default.nix): the checker counts each
  # as the store program it runs.
  # `program` defaults to the attribute name and may be null; `enable`
  # turns one off.
  wrappers = lib.mapAttrs' (n: w:
    lib.nameValuePair "${vmConfig.security.wrapperDir}/${
      if w.program != null
      then w.program
      else n
    }" (toString w.source))
  (lib.filterAttrs (_: w: w.enable) vmConfig.security.wrappers);

  oxidationSpec =
    if requireRust && !oxidation
    then throw "mkBootCheck ${name}: requireRust needs the oxidation meter: remove oxidation = false."
    else
      {enable = true;}
      // lib.optionalAttrs (wrappers != {}) {inherit wrappers;}
      // lib.optionalAttrs (requireRust && rustAtRuntime != []) {require = rustAtRuntime;};

  spec = lib.recursiveUpdate ({
      inherit name timeout;
      idle_timeout = idleTimeout;
    }
    // lib.optionalAttrs emulated {slowdown = emulationSlowdown;}
    // lib.optionalAttrs (effectiveLogin != null && (probeSpec != [] || oxidation)) {
      login = effectiveLogin;
    }
    // lib.optionalAttrs (probeSpec != []) {
      probes = probeSpec;
    }
    // lib.optionalAttrs (oxidation || requireRust) {
      oxidation = oxidationSpec;
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
    else checked.system.build.vm;
  slow = t:
    if emulated
    then t * emulationSlowdown
    else t;

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
      passthru = {
        inherit spec vm;
        config = checked;
      };
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
    nativeBuildInputs = [bootcheck];
    passthru = {inherit result spec;};
    meta.description = "Boots ${name}'s VM and checks its serial console with bootcheck";
  } ''
    if [ -e ${result}/nix-support/failed ]; then
      cat ${result}/summary.txt >&2 || true
      echo >&2
      echo "report, serial log and JUnit: ${result}" >&2
      echo "to boot again: nix store delete ${result}, then build the check again (or: nix run github:nixos-rs/nixos-rs#recheck -- <the check's installable>)" >&2
      # The last line Nix shows: the verdict, with its reason.
      if [ -e ${result}/report.json ]; then
        bootcheck verdict ${result}/report.json >&2 || true
      else
        echo "boot check ${name}: ERROR $(cat ${result}/nix-support/failed)" >&2
      fi
      exit 1
    fi
    mkdir -p "$out"
    ln -s ${result} "$out/result"
  ''
