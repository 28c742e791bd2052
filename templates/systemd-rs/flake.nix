{
  description = "A NixOS system whose PID 1 is a Rust systemd from its own flake";

  # Your nixpkgs; nixos-rs and the monorepo follow it.
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    nixos-rs = {
      url = "github:nixos-rs/nixos-rs";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    # The monorepo that publishes rust-systemd (rust/systemd/default.nix).
    # This template was checked against commit
    # 5735ffb2fc9ca15f59bf2fd5d363f486048fe7da (2026-05-06): the names used
    # below (overlays.default, rust-systemd, rust-systemd-systemd) are the
    # ones at that revision. Before 2026-03-15 they were systemd-rs and
    # systemd-rs-systemd. Its flake has many inputs of its own; all are
    # fetched when this flake is locked.
    noverby = {
      url = "github:noverby/noverby/5735ffb2fc9ca15f59bf2fd5d363f486048fe7da";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = {
    self,
    nixpkgs,
    nixos-rs,
    noverby,
  }: let
    system = "x86_64-linux";

    # Two ways to the package for oxidized.systemd.package; configuration.nix
    # picks one. Both lay the Rust binaries over the `systemd` of this
    # system's pkgs, because the monorepo's overlay builds its packages with
    # the pkgs it is applied to.
    systemdPackages = pkgs: {
      # nixos-rs' overlay: all of systemd's passthru (the with* flags NixOS
      # reads, this nixpkgs' new ones included) and its version; the Rust
      # binaries are symlinks, so the probes pin the rust-systemd store path.
      # No Rust-only extras.
      mkSystemdOverlay = nixos-rs.lib.mkSystemdOverlay {
        inherit pkgs;
        rust = pkgs.rust-systemd;
        # The name the monorepo's own wrapper starts PID 1 with.
        argv0 = "rust-systemd";
      };
      # The monorepo's own layout package, as its author boots it: it also
      # installs binaries and units the C systemd has no counterpart for
      # (systemd-bsod, journal-gatewayd/-remote/-upload) and sets the with*
      # flags to what rust-systemd implements (withBootloader, withEfi,
      # withCryptsetup, withImportd, withUtmp, ... false, so NixOS leaves
      # those parts out). Its passthru is a fixed list without the flags
      # newer nixpkgs reads (withNspawn, withRepart), and it has no
      # `version`: both are filled in from systemd here, its own flags win.
      own = pkgs.rust-systemd-systemd.overrideAttrs (old: {
        inherit (pkgs.systemd) version;
        passthru = pkgs.systemd.passthru // old.passthru;
      });
    };
  in {
    nixosConfigurations.my-host = nixpkgs.lib.nixosSystem {
      specialArgs = {inherit systemdPackages;};
      modules = [
        nixos-rs.nixosModules.oxidized
        # rust-systemd and rust-systemd-systemd into pkgs. The monorepo's
        # flake is built with flakelight, whose overlays.default holds every
        # package of the monorepo plus the overlays those packages need.
        # Do not use the rust-systemd-drowse variant its own configuration
        # uses unless your Nix has the experimental features
        # ca-derivations, dynamic-derivations and recursive-nix.
        {nixpkgs.overlays = [noverby.overlays.default];}
        ./configuration.nix
        {nixpkgs.hostPlatform = system;}
      ];
    };

    # `nix flake check` boots my-host's VM and runs the probes: PID 1 is
    # rust-systemd, multi-user.target is active, journald, resolved and
    # networkd are its binaries.
    checks.${system}.boot = nixos-rs.lib.mkBootCheck {
      nixosConfiguration = self.nixosConfigurations.my-host;
    };
  };
}
