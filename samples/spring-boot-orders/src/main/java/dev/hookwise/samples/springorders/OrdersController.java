package dev.hookwise.samples.springorders;

import dev.hookwise.core.spi.state.EntityState;
import dev.hookwise.core.state.StateNames;
import dev.hookwise.core.state.StateTransitions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The shop's own API: the checkout creates an order; anyone may read its state and history. */
@RestController
@RequestMapping("/orders")
public class OrdersController {
    private final StateTransitions<OrderStatus> orders;
    private final PaymentLedger ledger;

    OrdersController(StateTransitions<OrderStatus> orders, PaymentLedger ledger) {
        this.orders = orders;
        this.ledger = ledger;
    }

    /** Creates the order as pending; 201 if new, 200 if it existed. */
    @PutMapping("/{id}")
    ResponseEntity<Map<String, Object>> create(@PathVariable String id) {
        boolean created = orders.create(id);
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(describe(id));
    }

    /** The order's state, every transition that committed, oldest first, and the payments booked for it. */
    @GetMapping("/{id}")
    ResponseEntity<Map<String, Object>> get(@PathVariable String id) {
        return orders.find(id).isPresent() ? ResponseEntity.ok(describe(id)) : ResponseEntity.notFound().build();
    }

    /** Orders waiting in a state with a way out for longer than an hour. */
    @GetMapping("/stuck")
    List<String> stuck() {
        return orders.stuck(Duration.ofHours(1), 100).stream().map(EntityState::entityId).toList();
    }

    private Map<String, Object> describe(String id) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("state", orders.find(id).map(s -> StateNames.name(s.state())).orElse(null));
        out.put("history", orders.history(id).stream().map(h -> Map.of(
                "event", h.eventId(),
                "from", h.fromState() == null ? "-" : StateNames.name(h.fromState()),
                "to", StateNames.name(h.toState()),
                "result", String.valueOf(h.result()))).toList());
        out.put("payments", ledger.bookedFor(id));
        return out;
    }
}
