"""Exercises and quick check of notebook 11 (Nielsen's networks in Keras)."""

import numpy as np

from .core import Question
from .engine import EXACT, Exercise, Mistake

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

TWO_CONV_PARAMS = Exercise(
    "two_conv_params", lambda: float(20 * (25 + 1) + 40 * (20 * 25 + 1) + 640 * 100 + 100 + 100 * 10 + 10),
    lambda: [{}], kind="value", tol=EXACT, praise="each layer's weights and biases, added up.",
    hint="add the four layers: each convolution has filters x (input channels x 5 x 5 + 1) parameters; the fully "
         "connected layer reads the flattened output of the second pooling layer.",
    mistakes=(Mistake("two-conv-is-one-conv", "that is the one-conv network: the second conv-pool layer shrinks the "
                      "input of the fully connected layer.", impl=lambda: 520 + 288_100 + 1_010),))


def _errors(labels, pred_one, pred_two):
    return [{"labels": np.asarray(labels), "pred_one": np.asarray(pred_one), "pred_two": np.asarray(pred_two)}]


FIXED_ERRORS = Exercise(
    "fixed_errors", lambda labels, pred_one, pred_two: int(np.sum((pred_one != labels) & (pred_two == labels))),
    _errors, kind="value", tol=EXACT,
    praise="that many digits are wrong for the first network and right for the second.",
    hint="combine two boolean arrays, one per network, and count where both hold.",
    mistakes=(Mistake("fixed-difference", "that is the difference of the error counts; some errors are new in the "
                      "second network.", "count digits wrong for the first AND right for the second.",
                      impl=lambda labels, pred_one, pred_two: int(np.sum(pred_one != labels) -
                                                                  np.sum(pred_two != labels))),))
