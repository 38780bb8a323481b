"""Exercise checkers of notebook 11."""

import numpy as np

from ._legacy import Feedback, Question, check_number, unanswered, wrong

__all__ = ["check_two_conv_params", "check_fixed_errors"]

QUIZ = [
    Question("We train for 20 epochs and keep the checkpoint of the epoch with the best validation accuracy. Why not "
             "the epoch with the best test accuracy?",
             answer=2,
             options=["the test set is too small",
                      "the test accuracy is only known after training",
                      "choosing on the test set tunes the model to it, so its accuracy would no longer be an honest "
                      "estimate for new digits",
                      "Keras does not allow it"],
             why="the validation split (the last 10,000 training images) takes every choice; the test set is used "
                 "once, at the end."),
    Question("A cosine schedule starts at learning rate 0.001 and decays to 0.001 x alpha at the last step. With "
             "alpha = 0.01, how many times smaller is the last step's learning rate than the first's?",
             answer=100,
             why="0.001 x 0.01 = 0.00001, a hundred times smaller: the last epochs take tiny steps and fine-tune."),
    Question("Why does the two-conv network have fewer parameters than the one-conv network?",
             answer=0,
             options=["the second conv-pool layer shrinks the fully connected layer's input from 2,880 to 640 values",
                      "dropout removes parameters",
                      "its filters are smaller"],
             why="2,880 x 100 = 288,000 weights shrink to 640 x 100 = 64,000; the second convolution adds only "
                 "20,040."),
]


def check_two_conv_params(answer):
    """Parameters of Nielsen's two-conv network: 520 + 20,040 + 64,100 + 1,010."""
    if not unanswered(answer) and answer == 520 + 288_100 + 1_010:
        return Feedback(False, "that is the one-conv network: the second conv-pool layer shrinks the input of the "
                               "fully connected layer to 40 x 4 x 4 = 640.")
    return check_number(answer, 520 + 40 * (20 * 25 + 1) + 640 * 100 + 100 + 100 * 10 + 10, "the parameter count",
                        "Add conv1 (20 x (1 x 25 + 1)), conv2 (40 x (20 x 25 + 1)), fc (640 x 100 + 100), "
                        "softmax (100 x 10 + 10).")


def check_fixed_errors(answer, labels, pred_one, pred_two):
    """How many test digits the one-conv net gets wrong and the two-conv net gets right."""
    labels, pred_one, pred_two = map(np.asarray, (labels, pred_one, pred_two))
    expected = int(np.sum((pred_one != labels) & (pred_two == labels)))
    if not unanswered(answer) and answer == int(np.sum(pred_one != labels)) - int(np.sum(pred_two != labels)):
        if answer != expected:
            return wrong("fixed-difference", "that is the difference of the error counts; some errors are new in the second "
                                   "network.", "count digits wrong for the first AND right for the second.")
    fb = check_number(answer, expected, "the number of fixed errors",
                      "Use boolean arrays: (pred_one != labels) & (pred_two == labels), then sum.")
    if fb:
        fb.message = "that many digits are wrong for the first network and right for the second."
    return fb
