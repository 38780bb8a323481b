"""Exercise checkers of notebook 04."""


from .core import check_number

__all__ = ["check_param_count", "check_iter_per_epoch"]


def check_param_count(answer, input_size, hidden_size, output_size):
    """Number of parameters of a two-layer net."""
    expected = input_size * hidden_size + hidden_size + hidden_size * output_size + output_size
    return check_number(answer, expected, f"the parameter count of a {input_size}-{hidden_size}-{output_size} net",
                        "Count weights (inputs x outputs) and biases (one per output) for both Affine layers.")


def check_iter_per_epoch(answer, train_size, batch_size):
    """Iterations per epoch: max(train_size / batch_size, 1)."""
    return check_number(answer, max(train_size / batch_size, 1), "the number of iterations per epoch",
                        "One epoch sees train_size examples, batch_size at a time: divide.")
