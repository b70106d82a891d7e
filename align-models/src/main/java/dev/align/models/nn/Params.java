package dev.align.models.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

/** Factory for parameters with an OpenCLIP local name, a shape and an initialisation. */
final class Params {

    private Params() {}

    static Parameter weight(String name, Shape shape, InitSpec init) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
                .optInitializer(init).build();
    }

    static Parameter bias(String name, Shape shape, InitSpec init) {
        return Parameter.builder().setName(name).setType(Parameter.Type.BIAS).optShape(shape)
                .optInitializer(init).build();
    }

    static Parameter other(String name, Shape shape, InitSpec init) {
        return Parameter.builder().setName(name).setType(Parameter.Type.OTHER).optShape(shape)
                .optInitializer(init).build();
    }
}
