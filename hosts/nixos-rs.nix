# The oxidized system: the test-machine profile with every stable component.
{
  networking.hostName = "nixos-rs";
  oxidized.enable = true;
}
