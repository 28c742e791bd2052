# `nix flake init -t github:nixos-rs/nixos-rs[#name]`. No template has a
# README.md or another file a project may already have: `nix flake init`
# refuses to overwrite one and leaves a half-initialised directory.
let
  gitAdd = ''
    Nix sees only the files git tracks: run `git init` (if needed) and
    `git add flake.nix configuration.nix .gitignore .github` before the
    first `nix flake check`.
  '';
in {
  default = {
    path = ../templates/default;
    description = "A NixOS system with a Rust user space, checked by booting it";
    welcomeText = ''
      # An oxidized NixOS system

      ${gitAdd}
      - `configuration.nix` picks the Rust components (`oxidized.*`): the
        stable set is on, the experimental ones are listed, commented out.
      - `nix flake check -L` boots the system's VM and proves each enabled
        component runs the Rust code (a builder with KVM; nixos-rs' README
        says how to run it without).
      - `nix build .#checks.x86_64-linux.boot.result` keeps the boot report,
        the serial log and JUnit XML, also when the check failed.
      - `nixos-rebuild build-vm --flake .#my-host` before
        `nixos-rebuild switch --flake .#my-host`: try it in a VM first.
      - `.github/workflows/check.yml` runs the check on every push.
    '';
  };
  oxidized = (import ./templates.nix).default;
  systemd-rs = {
    path = ../templates/systemd-rs;
    description = "A NixOS system whose PID 1 is rust-systemd, taken from its own flake";
    welcomeText = ''
      # NixOS with rust-systemd as PID 1

      ${gitAdd}
      - `flake.nix` takes rust-systemd from the noverby/noverby flake
        (pinned to the commit this template was checked against) and
        offers two packages for `oxidized.systemd.package`; its comments
        say when to pick which.
      - `configuration.nix` enables it with networkd and resolved, and
        lists the compat switches.
      - `nix flake check -L` boots the VM and proves PID 1, journald,
        resolved and networkd are rust-systemd's; the initrd keeps the C
        systemd unless `oxidized.systemd.initrd = true`.
      - `.github/workflows/check.yml` runs the check on every push.
    '';
  };
}
