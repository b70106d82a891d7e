package dev.align.train.step;

import static dev.align.core.Checks.checkArgument;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.align.models.clip.ClipModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies of a model's parameters on further devices for one step of data-parallel gradient
 * caching. The model's own parameters live on device 0 and are the only ones the optimizer
 * updates; {@link #refresh} copies their current values to every other device, each device then
 * accumulates the gradients of its micro-batches into its copies, and {@link #reduceInto} adds
 * those gradients to device 0's. DJL's {@code ParameterStore} cannot do this with align's own
 * optimizer (it keeps an optimizer state per device), hence this class.
 *
 * <p>Two entries may name the same physical device: each still gets its own copy, which is how
 * the multi-device path is tested on a machine with one CPU.
 */
final class DeviceReplicas implements AutoCloseable {

    private final ClipModel model;
    private final List<Device> devices;
    private final List<ReplicaStore> stores = new ArrayList<>();

    /**
     * @param devices device 0 first (where the model's parameters are); at least one
     */
    DeviceReplicas(ClipModel model, List<Device> devices) {
        checkArgument(devices != null && !devices.isEmpty(), "at least one device is needed");
        Device home = model.logitScale().getArray().getDevice();
        checkArgument(devices.get(0).equals(home),
                "devices[0] must be the device of the model's parameters %s, got %s", home,
                devices.get(0));
        this.model = model;
        this.devices = List.copyOf(devices);
    }

    /** The devices, device 0 first. */
    List<Device> devices() {
        return devices;
    }

    /**
     * Where device {@code d}'s forward passes read their parameters: the caller's store for
     * device 0, the copies made by the last {@link #refresh} for the others.
     */
    ParameterStore store(int d, ParameterStore home) {
        return d == 0 ? home : stores.get(d - 1);
    }

    /** Replaces the copies on devices 1.. with the model's current values, gradients cleared. */
    void refresh() {
        closeStores();
        NDManager root = model.logitScale().getArray().getManager();
        for (int d = 1; d < devices.size(); d++) {
            Device device = devices.get(d);
            ReplicaStore store = new ReplicaStore(root.newSubManager(device));
            for (Parameter p : model.openClipParameters().values()) {
                NDArray value = p.getArray();
                NDArray copy = value.getDevice().equals(device) ? value.duplicate()
                        : value.toDevice(device, true);
                copy.attach(store.getManager());
                if (p.requiresGradient()) {
                    copy.setRequiresGradient(true);
                }
                store.values.put(p.getId(), copy);
            }
            stores.add(store);
        }
    }

    /**
     * Adds the gradients accumulated on devices 1.. to the {@code .grad} of the model's
     * parameters on device 0 (in device order, so the sum is deterministic).
     */
    void reduceInto() {
        for (ReplicaStore store : stores) {
            for (Parameter p : model.openClipParameters().values()) {
                if (!p.requiresGradient()) {
                    continue;
                }
                NDArray value = p.getArray();
                NDArray copy = store.values.get(p.getId());
                try (NDManager scratch = store.getManager().newSubManager()) {
                    PtNDArray g = JniUtils.getGradient((PtNDArray) copy);
                    if (g == null) {
                        continue;                            // this device computed nothing
                    }
                    g.attach(scratch);
                    NDArray home = g.toDevice(value.getDevice(), false);
                    home.attach(scratch);
                    JniUtils.backward((PtNDArray) value, (PtNDArray) home, false, false);
                }
            }
        }
    }

    private void closeStores() {
        for (ReplicaStore s : stores) {
            s.getManager().close();
        }
        stores.clear();
    }

    @Override
    public void close() {
        closeStores();
    }

    /** A parameter store answering with one device's copies, whatever device is asked for. */
    private static final class ReplicaStore extends ParameterStore {
        private final Map<String, NDArray> values = new HashMap<>();

        ReplicaStore(NDManager manager) {
            super(manager, false);
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            if (parameter == null) {
                return null;
            }
            NDArray v = values.get(parameter.getId());
            checkArgument(v != null, "parameter %s is not part of the model being trained",
                    parameter.getName());
            return v;
        }
    }
}
