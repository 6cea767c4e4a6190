package io.tributary.trainer;

import io.tributary.trainer.data.DataException;
import io.tributary.trainer.data.TrainTest;
import io.tributary.trainer.model.BatchStatistics;
import io.tributary.trainer.model.ModelException;
import io.tributary.trainer.model.TrainableModel;

import java.util.List;

/** What a {@link Trainer} refuses before it builds replicas: data too small to split, unsummable statistics. */
final class TrainerChecks
{
    private TrainerChecks()
    {
    }

    static void checkData(final TrainTest data, final int workers)
    {
        if (data.train().size() < workers)
        {
            throw new DataException(data.train().size() + " training examples for " + workers +
                " devices: every device needs at least one");
        }
        if (data.test().size() == 0)
        {
            throw new DataException("the test set is empty");
        }
    }

    static void checkExactlySynchronisable(final TrainableModel model, final int workers)
    {
        if (workers < 2)
        {
            return;
        }
        final List<String> statistics = BatchStatistics.undividedParameters(model.dl4jModel());
        if (!statistics.isEmpty())
        {
            throw new ModelException("model: parameters " + statistics + " are running batch statistics (such as " +
                "BatchNormalization's mean and variance), which summing over " + workers + " devices cannot make " +
                "equal to one device on the whole batch; train this model with cluster.devices: 1");
        }
    }
}
