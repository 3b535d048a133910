package io.weft.fabric.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** A data source that counts the statements prepared on its connections: database round trips. */
final class StatementCounter {

  private static final Set<String> STATEMENTS =
      Set.of("prepareStatement", "createStatement", "prepareCall");

  private final AtomicInteger statements = new AtomicInteger();
  private final DataSource counting;

  StatementCounter(DataSource target) {
    this.counting = proxy(DataSource.class, target, "getConnection");
  }

  DataSource dataSource() {
    return counting;
  }

  int statements() {
    return statements.get();
  }

  @SuppressWarnings("unchecked")
  private <T> T proxy(Class<T> type, T target, String wrapping) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> {
              if (STATEMENTS.contains(method.getName())) {
                statements.incrementAndGet();
              }
              Object result;
              try {
                result = method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              return method.getName().equals(wrapping) && result instanceof Connection c
                  ? proxy(Connection.class, c, "")
                  : result;
            });
  }
}
