"""Exercises and quick check of notebook 11 (Nielsen's networks in Keras). The two Keras exercises (autodiff's
gradients against notebook 04's backward pass, one custom training step) import TensorFlow only when checked."""

import numpy as np

from ..i18n import N_, _
from .core import Question
from .engine import EXACT, Exercise, Mistake, Tol

QUIZ = [
    Question(N_("We train for 20 epochs and keep the checkpoint of the epoch with the best validation accuracy. Why "
             "not the epoch with the best test accuracy?"),
             answer=2,
             options=[N_("the test set is too small"),
                      N_("the test accuracy is only known after training"),
                      N_("choosing on the test set tunes the model to it, so its accuracy would no longer be an honest "
                      "estimate for new digits"),
                      N_("Keras does not allow it")],
             why=N_("the validation split (the last 10,000 training images) takes every choice; the test set is used "
                 "once, at the end.")),
    Question(N_("A cosine schedule starts at learning rate 0.001 and decays to 0.001 x alpha at the last step. With "
             "alpha = 0.01, how many times smaller is the last step's learning rate than the first's?"),
             answer=100,
             why=N_("0.001 x 0.01 = 0.00001, a hundred times smaller: the last epochs take tiny steps and fine-tune.")),
    Question(N_("Why does the two-conv network have fewer parameters than the one-conv network?"),
             answer=0,
             options=[N_("the second conv-pool layer shrinks the fully connected layer's input from 2,880 to 640 "
                         "values"),
                      N_("dropout removes parameters"),
                      N_("its filters are smaller")],
             why=N_("2,880 x 100 = 288,000 weights shrink to 640 x 100 = 64,000; the second convolution adds only "
                 "20,040.")),
]

TWO_CONV_PARAMS = Exercise(
    "two_conv_params", lambda: float(20 * (25 + 1) + 40 * (20 * 25 + 1) + 640 * 100 + 100 + 100 * 10 + 10),
    lambda: [{}], kind="value", tol=EXACT, praise=N_("each layer's weights and biases, added up."),
    hint=N_("add the four layers: each convolution has filters x (input channels x 5 x 5 + 1) parameters; the fully "
         "connected layer reads the flattened output of the second pooling layer."),
    mistakes=(Mistake("two-conv-is-one-conv", N_("that is the one-conv network: the second conv-pool layer shrinks the "
                      "input of the fully connected layer."), impl=lambda: 520 + 288_100 + 1_010),))


def _errors(labels, pred_one, pred_two):
    return [{"labels": np.asarray(labels), "pred_one": np.asarray(pred_one), "pred_two": np.asarray(pred_two)}]


FIXED_ERRORS = Exercise(
    "fixed_errors", lambda labels, pred_one, pred_two: int(np.sum((pred_one != labels) & (pred_two == labels))),
    _errors, kind="value", tol=EXACT,
    praise=N_("that many digits are wrong for the first network and right for the second."),
    hint=N_("combine two boolean arrays, one per network, and count where both hold."),
    mistakes=(Mistake("fixed-difference", N_("that is the difference of the error counts; some errors are new in the "
                      "second network."), N_("count digits wrong for the first AND right for the second."),
                      impl=lambda labels, pred_one, pred_two: int(np.sum(pred_one != labels) -
                                                                  np.sum(pred_two != labels))),))


def _batch_cases(rng):
    """A tiny batch for a 6-5-3 network, with the network's weights (float32, as Keras keeps them)."""
    return [{"x": rng.standard_normal((n, 6)).astype(np.float32), "t": rng.integers(0, 3, n),
             "weights": [(rng.standard_normal(s) * 0.5).astype(np.float32) for s in [(6, 5), (5,), (5, 3), (3,)]]}
            for n in (8, 1)]


def _tiny_model(weights):
    import keras   # TensorFlow, only when a Keras exercise is checked
    model = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(5, activation="relu"),
                              keras.layers.Dense(3, activation="softmax")])
    model.set_weights(weights)
    return model


def _tape_protocol(run, fn, case):
    model = _tiny_model(case["weights"])
    grads = run.call(fn, model, case["x"], case["t"], may_change=(0,), name=getattr(fn, "__name__", _("your function")))
    grads = run.unpack(grads, ("dW1", "db1", "dW2", "db2"), getattr(fn, "__name__", _("your function")))
    names = ("dW1", "db1", "dW2", "db2")
    return {name: None if g is None else np.asarray(g) for name, g in zip(names, grads, strict=True)}


def _numpy_gradients(model, x, t):
    """The two-layer net's backward pass of notebook 04 (in float64) on the Keras model's weights."""
    from .. import nets
    net = nets.TwoLayerNet(6, 5, 3, dtype=np.float64)
    for key, w in zip(("W1", "b1", "W2", "b2"), model.get_weights(), strict=True):
        net.params[key][...] = w
    grads = net.gradient(x.astype(np.float64), t)
    return [grads[k].astype(np.float32) for k in ("W1", "b1", "W2", "b2")]


def _tape(reduction="sum_over_batch_size", outside=False):
    def tape_gradients(model, x, t):
        import keras
        import tensorflow as tf
        loss_fn = keras.losses.SparseCategoricalCrossentropy(reduction=reduction)
        with tf.GradientTape() as tape:
            probs = model(x)
            loss = loss_fn(t, probs)
        if outside:
            loss = loss_fn(t, model(x))
        return [None if g is None else g.numpy() for g in tape.gradient(loss, model.trainable_variables)] \
            if not outside else [None] * 4
    return tape_gradients


TAPE_GRADIENTS = Exercise(
    "tape_gradients", _numpy_gradients, _batch_cases, protocol=_tape_protocol,
    praise=N_("autodiff and your own backward pass of notebook 04 give the same four gradients."),
    hint=N_("record the forward pass and the mean cross-entropy inside the tape, then ask the tape for the gradients "
         "of that loss with respect to the model's trainable variables."),
    mistakes=(
        Mistake("tape-sum", N_("your gradients are N times too large: the loss is the MEAN over the batch."),
                impl=_tape(reduction="sum")),
        Mistake("tape-outside", N_("the tape gave no gradients: the loss was computed outside the `with` block, where "
                "nothing is recorded."), impl=_tape(outside=True)),
    ))


def _step_protocol(run, fn, case):
    import keras
    model = _tiny_model(case["weights"])
    loss = run.call(fn, model, keras.optimizers.SGD(learning_rate=0.1), case["x"], case["t"], may_change=(0, 1),
                    name=getattr(fn, "__name__", _("your function")))
    return {N_("the loss it returns"): loss if isinstance(loss, (int, float))
            else np.asarray(loss, dtype=np.float64)[()] if np.ndim(loss) == 0 else loss,
            N_("the weights after the step"): model.get_weights()}


def _fit_step(model, optimizer, x, t):
    """What model.fit does with one batch: one step of the optimiser on the mean loss (the loss before it)."""
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")
    return float(model.fit(x, t, batch_size=len(x), epochs=1, shuffle=False, verbose=0).history["loss"][0])


def _step(sign=1.0, apply=True, reduction="sum_over_batch_size"):
    def train_step(model, optimizer, x, t):
        import keras
        import tensorflow as tf
        with tf.GradientTape() as tape:
            loss = keras.losses.SparseCategoricalCrossentropy(reduction=reduction)(t, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        if apply:
            optimizer.apply_gradients([(sign * g, v) for g, v in zip(grads, model.trainable_variables, strict=True)])
        return float(loss)
    return train_step


TRAIN_STEP = Exercise(
    "train_step", _fit_step, _batch_cases, protocol=_step_protocol, tol=Tol(1e-4, 1e-6, N_("float32 arithmetic")),
    praise=N_("one custom step with GradientTape does exactly what model.fit does with one batch."),
    hint=N_("inside the tape: the forward pass in training mode and the mean loss; outside: the gradients, then the "
         "optimiser applies them; return the loss."),
    mistakes=(
        Mistake("step-no-apply", N_("the weights did not move: hand the gradients to the optimiser."),
                impl=_step(apply=False)),
        Mistake("step-ascent", N_("your step goes uphill: the optimiser already subtracts lr times the gradient; give "
                "it the gradients as they are."), impl=_step(sign=-1.0)),
        Mistake("step-sum", N_("your step is N times too large: the loss is the MEAN over the batch."),
                impl=_step(reduction="sum")),
    ))
