# The vanilla baseline: the test-machine profile, no Rust component.
{networking.hostName = "nixos-nix";}
