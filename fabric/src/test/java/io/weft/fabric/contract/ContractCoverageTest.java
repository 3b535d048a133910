package io.weft.fabric.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.ClassMetadata;

/**
 * Every operation of every public fabric service interface is named by a {@link Covers} contract
 * test, and every such test runs on H2 and on PostgreSQL. The interfaces are found, not listed: a
 * new service or a new method on one fails this test until a contract test names it. Prints the
 * coverage table (operation: covering tests) so a reader sees what is tested where.
 */
class ContractCoverageTest {

  /** Public interfaces in the fabric's API packages that are not services, and why. */
  private static final Map<String, String> NOT_SERVICES =
      Map.of("io.weft.fabric.FabricEvent", "the events a change publishes, no operations");

  @Test
  void everyPublicFabricOperationHasAContractTestOnH2AndPostgres() {
    List<Class<?>> services = services();
    Map<String, Set<String>> covering = covering();
    List<String> unknown = new ArrayList<>(covering.keySet());
    unknown.removeAll(operations(services));
    printTable(services, covering);
    assertThat(services).as("fabric service interfaces found").hasSizeGreaterThanOrEqualTo(10);
    assertThat(uncovered(services, covering.keySet()))
        .as("operations without a @Covers contract test")
        .isEmpty();
    assertThat(unknown).as("@Covers names that are no operation (renamed? typo?)").isEmpty();
    assertThat(notOnBothDatabases(covering))
        .as("contract classes without an ...OnH2Test and an ...OnPostgresTest subclass")
        .isEmpty();
  }

  /** The check itself can fail: an operation no test names is reported by name. */
  @Test
  void anOperationNoTestNamesIsReported() {
    assertThat(uncovered(List.of(Fixture.class), Set.of("Fixture.tested")))
        .containsExactly("Fixture.forgotten");
  }

  interface Fixture {
    void tested();

    void forgotten();
  }

  static List<String> uncovered(Collection<Class<?>> services, Set<String> covered) {
    return operations(services).stream().filter(op -> !covered.contains(op)).toList();
  }

  static Set<String> operations(Collection<Class<?>> services) {
    Set<String> ops = new TreeSet<>();
    for (Class<?> service : services) {
      for (Method m : service.getDeclaredMethods()) {
        if (!Modifier.isStatic(m.getModifiers()) && !m.isSynthetic()) {
          ops.add(service.getSimpleName() + "." + m.getName());
        }
      }
    }
    return ops;
  }

  /** Public top-level interfaces of io.weft.fabric and its non-internal packages. */
  private static List<Class<?>> services() {
    var scanner = scanner();
    scanner.addIncludeFilter((reader, factory) -> {
      ClassMetadata c = reader.getClassMetadata();
      return c.isInterface()
          && !c.isAnnotation()
          && c.isIndependent()
          && !c.getClassName().contains(".internal.")
          && !NOT_SERVICES.containsKey(c.getClassName());
    });
    return scanner.findCandidateComponents("io.weft.fabric").stream()
        .map(ContractCoverageTest::load)
        .filter(c -> Modifier.isPublic(c.getModifiers()) && c.getEnclosingClass() == null)
        .filter(c -> !fromTestClasses(c))
        .sorted((a, b) -> a.getName().compareTo(b.getName()))
        .toList();
  }

  /** Each operation named by a {@link Covers} test, with the tests (Class.method) naming it. */
  private static Map<String, Set<String>> covering() {
    Map<String, Set<String>> covering = new TreeMap<>();
    for (Class<?> c : classesWithCovers()) {
      for (Method m : c.getDeclaredMethods()) {
        Covers covers = m.getAnnotation(Covers.class);
        if (covers != null) {
          for (String op : covers.value()) {
            covering
                .computeIfAbsent(op, k -> new TreeSet<>())
                .add(c.getSimpleName() + "." + m.getName());
          }
        }
      }
    }
    return covering;
  }

  private static List<Class<?>> classesWithCovers() {
    var scanner = scanner();
    scanner.addIncludeFilter((reader, factory) ->
        reader.getAnnotationMetadata().hasAnnotatedMethods(Covers.class.getName()));
    return scanner.findCandidateComponents("io.weft.fabric").stream()
        .map(ContractCoverageTest::load)
        .toList();
  }

  /** Covering classes that lack a concrete subclass per database. */
  private static List<String> notOnBothDatabases(Map<String, Set<String>> covering) {
    var scanner = scanner();
    scanner.addIncludeFilter((reader, factory) -> !reader.getClassMetadata().isAbstract());
    List<ClassMetadata> concrete =
        scanner.findCandidateComponents("io.weft.fabric").stream()
            .map(d -> ((AnnotatedBeanDefinition) d).getMetadata())
            .map(ClassMetadata.class::cast)
            .toList();
    List<String> missing = new ArrayList<>();
    for (Class<?> contract : classesWithCovers()) {
      Set<String> runners =
          concrete.stream()
              .filter(c -> contract.getName().equals(c.getSuperClassName()))
              .map(c -> c.getClassName().replaceAll(".*\\.", ""))
              .collect(Collectors.toSet());
      boolean h2 = runners.stream().anyMatch(n -> n.endsWith("OnH2Test"));
      boolean postgres = runners.stream().anyMatch(n -> n.endsWith("OnPostgresTest"));
      if (!Modifier.isAbstract(contract.getModifiers()) || !h2 || !postgres) {
        missing.add(contract.getSimpleName() + " runs on " + runners);
      }
    }
    return missing;
  }

  private static void printTable(List<Class<?>> services, Map<String, Set<String>> covering) {
    Set<String> ops = operations(services);
    long covered = ops.stream().filter(covering::containsKey).count();
    StringBuilder table = new StringBuilder();
    table.append("Fabric contract coverage: ").append(covered).append('/').append(ops.size());
    for (String op : ops) {
      table
          .append("\n  ")
          .append(op)
          .append(": ")
          .append(covering.getOrDefault(op, Set.of("(none)")));
    }
    System.out.println(table);
  }

  private static boolean fromTestClasses(Class<?> c) {
    return c.getProtectionDomain().getCodeSource().getLocation().getPath().contains("test-classes");
  }

  /**
   * A scanner that offers every class it finds to its filters (abstract ones and interfaces too).
   */
  private static ClassPathScanningCandidateComponentProvider scanner() {
    return new ClassPathScanningCandidateComponentProvider(false) {
      @Override
      protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
        return true;
      }
    };
  }

  private static Class<?> load(BeanDefinition definition) {
    try {
      return Class.forName(definition.getBeanClassName());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
