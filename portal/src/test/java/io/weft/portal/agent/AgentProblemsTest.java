package io.weft.portal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.table.TableJson;
import io.weft.fabric.tables.TablesBusyException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

class AgentProblemsTest {

  @Test
  void aBusyReplicaAnswers503WithRetryAfterInWholeSecondsRoundedUp() {
    ResponseEntity<ProblemDetail> answer =
        new AgentProblems().busy(new TablesBusyException(Duration.ofMillis(1_200)));
    assertThat(answer.getStatusCode().value()).isEqualTo(503);
    assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
    assertThat(answer.getBody().getProperties()).containsEntry("retryAfterSeconds", 2L);
  }

  @Test
  void theControllersCheapBusyAnswerSaysTheSame() {
    TablesBusyException busy = new TablesBusyException(Duration.ofMillis(1_200));
    ResponseEntity<String> answer = AgentProblems.busyAnswer(busy, "/api/v1/agent/table");
    ResponseEntity<ProblemDetail> resolved = new AgentProblems().busy(busy);
    assertThat(answer.getStatusCode()).isEqualTo(resolved.getStatusCode());
    assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
    assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    JsonNode body = TableJson.mapper().readTree(answer.getBody());
    assertThat(body.path("status").asInt()).isEqualTo(503);
    assertThat(body.path("title").asString()).isEqualTo("Service Unavailable");
    assertThat(body.path("detail").asString()).isEqualTo(resolved.getBody().getDetail());
    assertThat(body.path("instance").asString()).isEqualTo("/api/v1/agent/table");
    assertThat(body.path("retryAfterSeconds").asLong()).isEqualTo(2);
  }
}
