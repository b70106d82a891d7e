package dev.align.train.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.Map;

/** Helpers for optimizer tests: hand-made parameters and gradients set through a backward pass. */
final class OptimTesting {

    private OptimTesting() {}

    /** A requires-grad parameter holding {@code values} of {@code shape} (FLOAT64). */
    static Parameter parameter(NDManager manager, String name, double[] values, Shape shape) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.OTHER).build();
        NDArray a = manager.create(values, shape);
        a.setRequiresGradient(true);
        p.setArray(a);
        return p;
    }

    /**
     * Makes each parameter's gradient grow by exactly {@code grads.get(name)} (same shape), by a
     * backward pass of {@code sum_p sum(p * G_p)}: DJL has no public {@code .grad} setter.
     */
    static void addGradients(Map<String, Parameter> params, Map<String, NDArray> grads) {
        try (NDManager scope = NDManager.newBaseManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (Map.Entry<String, NDArray> e : grads.entrySet()) {
                NDArray w = params.get(e.getKey()).getArray();
                NDArray product = e.getValue().mul(w); // lands in G's manager: move it to scope
                product.attach(scope);
                NDArray term = product.sum(); // [] in scope
                loss = loss == null ? term : loss.add(term);
                loss.attach(scope);
            }
            gc.backward(loss);
        }
    }
}
