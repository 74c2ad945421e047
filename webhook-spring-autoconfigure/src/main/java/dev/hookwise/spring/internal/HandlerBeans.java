package dev.hookwise.spring.internal;

import com.stripe.model.Event;
import com.stripe.model.StripeObject;
import dev.hookwise.core.EventContext;
import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.WebhookHandler;
import dev.hookwise.core.state.StateTransitions;
import dev.hookwise.spring.HookwiseHandlerRegistration;
import dev.hookwise.spring.StripeWebhookHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Builds the {@link HandlerRegistry} from the application's beans, in this order:
 * {@link HookwiseHandlerRegistration} beans; {@link WebhookHandler} beans annotated with
 * {@link StripeWebhookHandler} (and {@link StateTransitions} beans, which register every rule of
 * their machine); {@link StripeWebhookHandler} methods, bean by bean, methods by name.
 *
 * <p>Annotated beans are found from their types without creating them, and fetched from the
 * bean factory when an event first reaches them. That keeps the processor free of start-up cycles
 * (a handler may depend on a service that uses the processor), and every mistake a type can show
 * (a bad pattern, a parameter Hookwise cannot supply, a handler bean without event types) still
 * stops start-up.
 */
public final class HandlerBeans {
    private static final Logger log = LoggerFactory.getLogger(HandlerBeans.class);

    private HandlerBeans() {}

    /** The registry for {@code beans}. */
    public static HandlerRegistry registry(ListableBeanFactory beans, List<HookwiseHandlerRegistration> registrations) {
        HandlerRegistry.Builder registry = HandlerRegistry.builder();
        Set<Object> registered = Collections.newSetFromMap(new IdentityHashMap<>());
        for (HookwiseHandlerRegistration r : registrations) {
            for (String pattern : r.patterns()) {
                registry.on(pattern, r.handler());
            }
            registered.add(r.handler());
        }
        for (String name : beans.getBeanNamesForType(WebhookHandler.class, true, false)) {
            StripeWebhookHandler annotation = beans.findAnnotationOnBean(name, StripeWebhookHandler.class, false);
            Class<?> type = beans.getType(name, false);
            if (annotation != null) {
                WebhookHandler lazy = new LazyBeanHandler(beans, name);
                for (String pattern : patterns(annotation, "bean '" + name + "'")) {
                    registry.on(pattern, lazy);
                }
            } else if (type != null && StateTransitions.class.isAssignableFrom(type)) {
                ((StateTransitions<?>) beans.getBean(name)).registerAll(registry);
            } else {
                Object bean = beans.getBean(name);
                if (!registered.contains(bean)) {
                    throw new HookwiseConfigurationException("bean '" + name + "' (" + ClassUtils.getUserClass(bean).getName()
                            + ") implements WebhookHandler but names no event types: annotate its class with"
                            + " @StripeWebhookHandler(\"payment_intent.succeeded\") or declare a"
                            + " HookwiseHandlerRegistration bean for it");
                }
            }
        }
        int methods = 0;
        for (String name : beans.getBeanDefinitionNames()) {
            Class<?> type = beans.getType(name, false);
            if (type == null) {
                continue;
            }
            Class<?> userType = ClassUtils.getUserClass(type);
            if (!AnnotationUtils.isCandidateClass(userType, StripeWebhookHandler.class)) {
                continue;
            }
            Map<Method, StripeWebhookHandler> found = MethodIntrospector.selectMethods(userType,
                    (MethodIntrospector.MetadataLookup<StripeWebhookHandler>) m ->
                            AnnotatedElementUtils.findMergedAnnotation(m, StripeWebhookHandler.class));
            List<Method> ordered = new ArrayList<>(found.keySet());
            ordered.sort(Comparator.comparing(Method::getName).thenComparing(Method::toGenericString));
            for (Method method : ordered) {
                WebhookHandler handler = MethodHandler.of(beans, name, method);
                for (String pattern : patterns(Objects.requireNonNull(found.get(method)), describe(method))) { // a key of found
                    registry.on(pattern, handler);
                }
                methods++;
            }
        }
        HandlerRegistry built = registry.build();
        log.info("Hookwise handlers: {} pattern(s) {}, {} annotated method(s)", built.patterns().size(), built.patterns(), methods);
        return built;
    }

    private static String[] patterns(StripeWebhookHandler annotation, String where) {
        if (annotation.value().length == 0) {
            throw new HookwiseConfigurationException("@StripeWebhookHandler on " + where + " names no event type:"
                    + " write @StripeWebhookHandler(\"payment_intent.succeeded\")");
        }
        return annotation.value();
    }

    static String describe(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "(…)";
    }

    /** A handler bean fetched on first use. */
    private static final class LazyBeanHandler implements WebhookHandler {
        private final ListableBeanFactory beans;
        private final String name;
        private volatile @Nullable WebhookHandler target;

        LazyBeanHandler(ListableBeanFactory beans, String name) {
            this.beans = beans;
            this.name = name;
        }

        @Override
        public void handle(EventContext context) throws Exception {
            WebhookHandler t = target;
            if (t == null) {
                t = beans.getBean(name, WebhookHandler.class);
                target = t;
            }
            t.handle(context);
        }

        @Override
        public String toString() {
            return "bean '" + name + "'";
        }
    }

    /** A {@link StripeWebhookHandler} method with its parameters resolved from the event. */
    private static final class MethodHandler implements WebhookHandler {
        private final ListableBeanFactory beans;
        private final String beanName;
        private final Method method;
        private final List<Function<EventContext, Object>> arguments;
        private volatile @Nullable Object bean;
        private volatile @Nullable Method invocable;

        private MethodHandler(ListableBeanFactory beans, String beanName, Method method,
                List<Function<EventContext, Object>> arguments) {
            this.beans = beans;
            this.beanName = beanName;
            this.method = method;
            this.arguments = arguments;
        }

        static MethodHandler of(ListableBeanFactory beans, String beanName, Method method) {
            List<Function<EventContext, Object>> arguments = new ArrayList<>();
            for (Class<?> p : method.getParameterTypes()) {
                arguments.add(resolver(p, method));
            }
            return new MethodHandler(beans, beanName, method, List.copyOf(arguments));
        }

        private static Function<EventContext, Object> resolver(Class<?> p, Method method) {
            if (p == EventContext.class) {
                return ctx -> ctx;
            }
            if (p == EventEnvelope.class) {
                return EventContext::envelope;
            }
            if (p == Event.class) {
                return EventContext::stripeEvent;
            }
            if (StripeObject.class.isAssignableFrom(p)) {
                Class<? extends StripeObject> objectType = p.asSubclass(StripeObject.class);
                return ctx -> ctx.dataObject(objectType);
            }
            throw new HookwiseConfigurationException("@StripeWebhookHandler method " + describe(method)
                    + " has a parameter of type " + p.getName() + " that Hookwise cannot supply: use the stripe-java"
                    + " object type (PaymentIntent, Charge, …), EventContext, com.stripe.model.Event or EventEnvelope");
        }

        @Override
        public void handle(EventContext context) throws Exception {
            Object target = bean;
            Method m = invocable;
            if (target == null || m == null) {
                target = beans.getBean(beanName);
                m = AopUtils.selectInvocableMethod(method, target.getClass());
                ReflectionUtils.makeAccessible(m);
                invocable = m;
                bean = target;
            }
            Object[] args = new Object[arguments.size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = arguments.get(i).apply(context);
            }
            try {
                m.invoke(target, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getTargetException();
                if (cause instanceof Exception ex) {
                    throw ex;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }

        @Override
        public String toString() {
            return "bean '" + beanName + "' method " + describe(method);
        }
    }
}
