package dev.hookwise.spring.tx;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A JPA entity a transactional handler persists; its table gets the test's prefix (see the JPA test's naming strategy). */
@Entity
@Table(name = "jpa_receipt")
public class Receipt {
    @Id
    private String id;
    private String eventId;

    protected Receipt() {}

    Receipt(String id, String eventId) {
        this.id = id;
        this.eventId = eventId;
    }

    public String getId() {
        return id;
    }

    public String getEventId() {
        return eventId;
    }
}
