# nixpkgs before PR #435781 (2026-04): the scripted stage 1 is the default
# (boot.initrd.systemd.enable defaults to false). Stronger than the
# option's default, weaker than anything a configuration sets (mkDefault
# included).
{lib, ...}: {boot.initrd.systemd.enable = lib.mkOverride 1400 false;}
