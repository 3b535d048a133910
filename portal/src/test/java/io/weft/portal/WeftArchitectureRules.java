package io.weft.portal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The house rules of ARCHITECTURE.md as ArchUnit rules, parameterised by the root package so that a
 * deliberately bad fixture can prove each rule fails when broken.
 */
final class WeftArchitectureRules {

  static final List<String> MODULES =
      List.of("ipam", "dataplane", "fabric", "diagnostics", "portal");

  private WeftArchitectureRules() {}

  /** Rule name → rule, in the order a reader would check them. */
  static Map<String, ArchRule> forRoot(String root) {
    Map<String, ArchRule> rules = new LinkedHashMap<>();
    rules.put(
        "no cycles between modules", slices().matching(root + ".(*)..").should().beFreeOfCycles());
    rules.put("dependencies point one way", layers(root));
    rules.put(
        "the data plane has no Spring, JPA or Hibernate",
        noClasses()
            .that()
            .resideInAPackage(root + ".dataplane..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.springframework..",
                "jakarta.persistence..",
                "org.hibernate..",
                "jakarta.servlet.."));
    // One logging API, so one log format and one place to set levels (SLF4J, bound to Logback in
    // the
    // application and to slf4j-simple in a standalone agent); java.util.logging bypasses both.
    rules.put(
        "logging goes through SLF4J",
        noClasses()
            .that()
            .resideInAPackage(root + "..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("java.util.logging.."));
    for (String module : MODULES) {
      rules.put(
          module + "'s internal packages are its own",
          noClasses()
              .that()
              .resideOutsideOfPackage(root + "." + module + "..")
              .should()
              .dependOnClassesThat()
              .resideInAPackage(root + "." + module + "..internal..")
              .allowEmptyShould(true));
    }
    return rules;
  }

  private static ArchRule layers(String root) {
    return layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .withOptionalLayers(true)
        .layer("portal")
        .definedBy(root + ".portal..")
        .layer("diagnostics")
        .definedBy(root + ".diagnostics..")
        .layer("fabric")
        .definedBy(root + ".fabric..")
        .layer("ipam")
        .definedBy(root + ".ipam..")
        .layer("dataplane")
        .definedBy(root + ".dataplane..")
        .whereLayer("portal")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("diagnostics")
        .mayOnlyBeAccessedByLayers("portal")
        .whereLayer("fabric")
        .mayOnlyBeAccessedByLayers("portal", "diagnostics")
        .whereLayer("ipam")
        .mayOnlyBeAccessedByLayers("portal", "diagnostics", "fabric")
        .whereLayer("dataplane")
        .mayOnlyBeAccessedByLayers("portal", "diagnostics", "fabric");
  }
}
