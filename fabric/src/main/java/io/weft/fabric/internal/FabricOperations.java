package io.weft.fabric.internal;

import io.weft.fabric.Caller;
import io.weft.fabric.ConflictException;
import io.weft.fabric.FabricException;
import io.weft.fabric.TenantId;
import io.weft.ipam.IpamException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one change: in a transaction, audited either way. A success is audited inside the change's
 * own transaction; a refusal is audited in a transaction of its own after the change rolled back,
 * so nothing of a refused change is ever half-written but the refusal is still on record.
 */
@Component
class FabricOperations {

  private final TransactionTemplate transaction;
  private final AuditRecorder audit;

  FabricOperations(PlatformTransactionManager transactions, AuditRecorder audit) {
    this.transaction = new TransactionTemplate(transactions);
    this.audit = audit;
  }

  /** A change whose audit target is known only from its result (e.g. a new object's id). */
  <T> T change(
      Caller caller, TenantId tenant, String action, Function<T, String> target, Supplier<T> work) {
    try {
      return transaction.execute(status -> {
        T result = work.get();
        audit.write(caller, tenant, action, target.apply(result), "OK", null);
        return result;
      });
    } catch (FabricException | IpamException e) {
      refused(caller, tenant, action, e.getMessage());
      throw e;
    } catch (DataIntegrityViolationException | PessimisticLockingFailureException e) {
      refused(caller, tenant, action, "concurrent change");
      throw new ConflictException(
          "this conflicts with a change made at the same moment; please retry");
    }
  }

  /** A change with a known target and no result. */
  void change(Caller caller, TenantId tenant, String action, String target, Runnable work) {
    change(
        caller,
        tenant,
        action,
        ignored -> target,
        () -> {
          work.run();
          return Boolean.TRUE;
        });
  }

  /** A read: in a read-only transaction, not audited. */
  <T> T read(Supplier<T> work) {
    TransactionTemplate readOnly = new TransactionTemplate(transaction.getTransactionManager());
    readOnly.setReadOnly(true);
    return readOnly.execute(status -> work.get());
  }

  private void refused(Caller caller, TenantId tenant, String action, String reason) {
    transaction.executeWithoutResult(
        status -> audit.write(caller, tenant, action, null, "REFUSED", reason));
  }
}
