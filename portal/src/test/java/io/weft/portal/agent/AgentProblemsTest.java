package io.weft.portal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.tables.TablesBusyException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

class AgentProblemsTest {

  @Test
  void aBusyReplicaAnswers503WithRetryAfterInWholeSecondsRoundedUp() {
    ResponseEntity<ProblemDetail> answer =
        new AgentProblems().busy(new TablesBusyException(Duration.ofMillis(1_200)));
    assertThat(answer.getStatusCode().value()).isEqualTo(503);
    assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
    assertThat(answer.getBody().getProperties()).containsEntry("retryAfterSeconds", 2L);
  }
}
