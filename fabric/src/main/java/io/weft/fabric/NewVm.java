package io.weft.fabric;

import java.util.List;

/** A VM to create, with at least one vNIC. */
public record NewVm(String name, List<NewVnic> nics) {}
