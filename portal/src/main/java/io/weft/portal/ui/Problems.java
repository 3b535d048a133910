package io.weft.portal.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.server.VaadinService;
import io.weft.fabric.AccessDeniedException;
import io.weft.fabric.FabricException;
import io.weft.ipam.IpamException;
import io.weft.portal.security.SecurityEvents;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows what went wrong in words a user acts on: the fabric's and IPAM's messages inline at the
 * field they name, otherwise in a notification. Unexpected failures are logged and shown as one
 * plain sentence, never as a stack trace.
 */
public final class Problems {

  private static final Logger log = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  /**
   * Runs {@code action}; on a user-caused error shows it and returns empty.
   *
   * @param fields the form's fields by the request field names the services use
   */
  public static <T> Optional<T> attempt(
      Supplier<T> action, Map<String, ? extends HasValidation> fields) {
    fields.values().forEach(f -> f.setInvalid(false));
    try {
      return Optional.ofNullable(action.get());
    } catch (FabricException e) {
      if (e instanceof AccessDeniedException) {
        auditDenied(e.getMessage());
      }
      show(e.getMessage(), e.field().orElse(null), fields);
    } catch (IpamException e) {
      show(e.getMessage(), e.field().orElse(null), fields);
    } catch (RuntimeException e) {
      log.error("unexpected failure in a view", e);
      error("Something went wrong on our side; it has been logged. Please try again.");
    }
    return Optional.empty();
  }

  public static boolean attempt(Runnable action, Map<String, ? extends HasValidation> fields) {
    return attempt(
            () -> {
              action.run();
              return Boolean.TRUE;
            },
            fields)
        .isPresent();
  }

  public static boolean attempt(Runnable action) {
    return attempt(action, Map.of());
  }

  private static void show(
      String message, String field, Map<String, ? extends HasValidation> fields) {
    HasValidation target = field == null ? null : fields.get(field);
    if (target != null) {
      target.setErrorMessage(capitalise(message));
      target.setInvalid(true);
    } else {
      error(capitalise(message));
    }
  }

  public static void error(String message) {
    Notification n = Notification.show(message, 6000, Notification.Position.TOP_CENTER);
    n.addThemeVariants(NotificationVariant.LUMO_ERROR);
  }

  public static void success(String message) {
    Notification n = Notification.show(message, 3000, Notification.Position.BOTTOM_START);
    n.addThemeVariants(NotificationVariant.LUMO_SUCCESS);
  }

  static String capitalise(String message) {
    if (message == null || message.isEmpty()) {
      return "The request was refused.";
    }
    return Character.toUpperCase(message.charAt(0)) + message.substring(1);
  }

  private static void auditDenied(String what) {
    VaadinService service = VaadinService.getCurrent();
    if (service == null) {
      return;
    }
    String who = service.getInstantiator().getOrCreate(CurrentUser.class).caller().username();
    service.getInstantiator().getOrCreate(SecurityEvents.class).accessDenied(who, what);
  }
}
