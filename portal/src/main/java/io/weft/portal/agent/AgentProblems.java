package io.weft.portal.agent;

import io.weft.fabric.AccessDeniedException;
import io.weft.fabric.ConflictException;
import io.weft.fabric.FabricException;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.tables.TablesBusyException;
import io.weft.ipam.IpamException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Errors of the agent endpoints as application/problem+json; first in line for this controller. */
@RestControllerAdvice(assignableTypes = {AgentController.class, AgentCommandController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class AgentProblems {

  @ExceptionHandler(FabricException.class)
  ResponseEntity<ProblemDetail> fabric(FabricException e) {
    HttpStatus status =
        switch (e) {
          case InvalidRequestException x -> HttpStatus.BAD_REQUEST;
          case NotFoundException x -> HttpStatus.NOT_FOUND;
          case ConflictException x -> HttpStatus.CONFLICT;
          case AccessDeniedException x -> HttpStatus.FORBIDDEN;
          default -> HttpStatus.BAD_REQUEST;
        };
    return problem(status, e.getMessage(), e.field().orElse(null));
  }

  /**
   * Too many snapshots being built here: 503 with a whole-second {@code Retry-After} (rounded up),
   * which the agent honours with jitter (TABLE-FORMAT.md). HAProxy passes a 503 from a replica
   * through untouched, and its health checks never see it: the replica stays in the pool.
   */
  @ExceptionHandler(TablesBusyException.class)
  ResponseEntity<ProblemDetail> busy(TablesBusyException e) {
    long seconds = retryAfterSeconds(e);
    ProblemDetail p =
        ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    p.setProperty("retryAfterSeconds", seconds);
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(p);
  }

  /**
   * The same answer as {@link #busy}, written without exception resolution or Jackson: the
   * controller returns it for the busy poll itself. During a first-snapshot storm it is a replica's
   * most frequent answer, and at 10,000 agents resolving the exception to this handler and writing
   * the problem with Jackson took a third of a replica's samples (docs/benchmarks.md).
   */
  static ResponseEntity<String> busyAnswer(TablesBusyException e, String instance) {
    long seconds = retryAfterSeconds(e);
    String body =
        "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\""
            + jsonText(e.getMessage())
            + "\",\"instance\":\""
            + jsonText(instance)
            + "\",\"retryAfterSeconds\":"
            + seconds
            + "}";
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(body);
  }

  private static long retryAfterSeconds(TablesBusyException e) {
    return Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
  }

  /** Text as the inside of a JSON string: quotes, backslashes and control characters escaped. */
  private static String jsonText(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append("\\u%04x".formatted((int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  @ExceptionHandler(IpamException.class)
  ResponseEntity<ProblemDetail> ipam(IpamException e) {
    return problem(HttpStatus.CONFLICT, e.getMessage(), null);
  }

  @ExceptionHandler({
    MethodArgumentTypeMismatchException.class,
    MissingServletRequestParameterException.class
  })
  ResponseEntity<ProblemDetail> parameter(Exception e) {
    return problem(HttpStatus.BAD_REQUEST, "since and wait must be whole numbers", null);
  }

  private static ResponseEntity<ProblemDetail> problem(
      HttpStatus status, String detail, String field) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    if (field != null) {
      p.setProperty("field", field);
    }
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
  }
}
