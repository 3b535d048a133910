package io.weft.fabric;

/** A machine to admit behind an external endpoint: the VM subnet it sits in, its CA and MAC. */
public record NewExternalMachine(String subnetId, String address, String mac) {}
