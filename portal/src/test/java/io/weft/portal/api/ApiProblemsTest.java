package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.ConcurrentChangeException;
import io.weft.fabric.ConflictException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * A change lost to concurrent ones is a 503 with {@code Retry-After} that clients retry, never the
 * 409 that says a request conflicts with the current state (which a client must not resend).
 */
class ApiProblemsTest {

  private final ApiProblems problems = new ApiProblems();

  @Test
  void aChangeLostToConcurrentOnesIsA503WithRetryAfterAndNoField() {
    ResponseEntity<ProblemDetail> answer =
        problems.concurrent(new ConcurrentChangeException("nothing was changed, please retry"));

    assertThat(answer.getStatusCode().value()).isEqualTo(503);
    assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
    assertThat(answer.getBody()).isNotNull();
    assertThat(answer.getBody().getDetail()).contains("please retry");
    Map<String, Object> properties = answer.getBody().getProperties();
    assertThat(properties == null ? Map.of() : properties).doesNotContainKey("field");
  }

  @Test
  void aConflictWithTheCurrentStateStaysA409NamingItsField() {
    ProblemDetail answer =
        problems.fabric(new ConflictException("a VM named 'x' already exists", "name"));

    assertThat(answer.getStatus()).isEqualTo(409);
    assertThat(answer.getProperties()).containsEntry("field", "name");
  }
}
