package io.weft.portal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.weft.WeftApplication;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The build fails on a boundary violation. Spring Modulith checks the Spring modules; our own
 * ArchUnit rules check the whole house, and a deliberately bad fixture proves each rule can fail.
 */
class ModuleBoundaryTest {

  private static final JavaClasses WEFT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.weft");

  private static final JavaClasses BAD_FIXTURE =
      new ClassFileImporter().importPackages("io.weft.archfixture");

  @Test
  void springModulithFindsNoCyclesAndNoAccessToAnotherModulesInternals() {
    // The data plane is a plain library with no Spring annotations; ArchUnit rules below cover it.
    DescribedPredicate<JavaClass> notApplicationModules =
        JavaClass.Predicates.resideInAnyPackage(
            "io.weft.dataplane..", "io.weft.testkit..", "io.weft.archfixture..", "io.weft.bench..");
    ApplicationModules.of(WeftApplication.class, notApplicationModules).verify();
  }

  @TestFactory
  Stream<DynamicTest> weftKeepsEveryHouseRule() {
    return WeftArchitectureRules.forRoot("io.weft").entrySet().stream()
        .map(rule -> DynamicTest.dynamicTest(rule.getKey(), () -> rule.getValue().check(WEFT)));
  }

  @TestFactory
  Stream<DynamicTest> aBadFixtureBreaksEachStructuralRule() {
    return Stream.of(
            "no cycles between modules",
            "dependencies point one way",
            "the data plane has no Spring, JPA or Hibernate",
            "logging goes through SLF4J",
            "fabric's internal packages are its own")
        .map(name ->
            DynamicTest.dynamicTest(
                name,
                () ->
                    assertThatThrownBy(() ->
                            WeftArchitectureRules.forRoot("io.weft.archfixture")
                                .get(name)
                                .check(BAD_FIXTURE))
                        .isInstanceOf(AssertionError.class)));
  }
}
