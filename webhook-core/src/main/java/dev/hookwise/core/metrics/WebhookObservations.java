package dev.hookwise.core.metrics;

/**
 * The names of the Micrometer observations a {@code WebhookProcessor} makes once it has an
 * {@code ObservationRegistry} ({@code WebhookProcessor.Builder.observationRegistry(…)}), and of
 * their key values: for {@code ObservationPredicate}s, {@code ObservationFilter}s and dashboards.
 * This class needs no Micrometer; the observations need {@code io.micrometer:micrometer-observation}.
 *
 * <table>
 *   <caption>Observations</caption>
 *   <tr><th>name</th><th>around</th><th>low-cardinality keys</th><th>high-cardinality keys</th></tr>
 *   <tr><td>{@value #RECEIVE}</td><td>one delivery, from the raw request to its answer (signature,
 *       envelope, filters, claim, and in synchronous mode the handlers)</td>
 *       <td>{@value #EVENT_TYPE}, {@value #OUTCOME}</td><td>{@value #EVENT_ID}</td></tr>
 *   <tr><td>{@value #ENQUEUE}</td><td>putting a verified event into the inbox (asynchronous mode);
 *       a producer: a propagating tracer writes the trace context that is stored with the event</td>
 *       <td>{@value #EVENT_TYPE}, {@value #OUTCOME}</td><td>{@value #EVENT_ID}</td></tr>
 *   <tr><td>{@value #PROCESS}</td><td>one run of an event's handlers and the verdict it records: in
 *       the request (synchronous mode), in an inbox worker (a consumer that continues the trace of the
 *       delivery stored at enqueue), or in a replay</td>
 *       <td>{@value #EVENT_TYPE}, {@value #OUTCOME}, {@value #SOURCE}</td>
 *       <td>{@value #EVENT_ID}, {@value #ATTEMPT}</td></tr>
 * </table>
 *
 * <p>{@value #OUTCOME} is an {@code Outcome} code ({@code processed}, {@code duplicate},
 * {@code signature_no_match}, {@code queued}, {@code failed_permanent} …; {@code unknown} if the
 * step ended by an exception). {@value #EVENT_TYPE} is the Stripe event type once the signature is
 * verified (the types an endpoint receives are the ones it subscribes to), and {@code unknown} for a
 * rejected delivery or a type that does not look like one of Stripe's.
 *
 * @since 0.2.0
 */
public final class WebhookObservations {

    /** The observation of one delivery. */
    public static final String RECEIVE = "hookwise.receive";
    /** The observation of putting an event into the inbox (asynchronous mode). */
    public static final String ENQUEUE = "hookwise.enqueue";
    /** The observation of one run of an event's handlers. */
    public static final String PROCESS = "hookwise.process";

    /** Low cardinality: the Stripe event type, or {@value #UNKNOWN}. */
    public static final String EVENT_TYPE = "hookwise.event.type";
    /** Low cardinality: the {@code Outcome} code of the step, or {@value #UNKNOWN}. */
    public static final String OUTCOME = "hookwise.outcome";
    /** Low cardinality, process only: {@code webhook}, {@code replay} or {@code recovery}. */
    public static final String SOURCE = "hookwise.source";
    /** High cardinality: Stripe's event id ({@code evt_…}), once the envelope is read. */
    public static final String EVENT_ID = "hookwise.event.id";
    /** High cardinality, process only: the attempt number of the run (1 for the first). */
    public static final String ATTEMPT = "hookwise.attempt";

    /** The value of {@value #EVENT_TYPE} and {@value #OUTCOME} when there is none to tell. */
    public static final String UNKNOWN = "unknown";

    private WebhookObservations() {}
}
