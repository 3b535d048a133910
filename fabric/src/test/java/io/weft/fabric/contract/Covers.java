package io.weft.fabric.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The public fabric operations a contract test calls as the callers it must refuse and with the
 * input it must refuse, named {@code Interface.method} (e.g. {@code "VmService.renameVm"}; one name
 * stands for all overloads). {@link ContractCoverageTest} fails the build while an operation of a
 * public fabric service has no test naming it, so a new operation cannot land untested.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Covers {

  String[] value();
}
