package io.tributary.trainer.data;

/** The training examples and the held-out test examples of one data source. */
public record TrainTest(ExampleSet train, ExampleSet test)
{
}
