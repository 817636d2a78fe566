/*
 * The plain C MPI loop loom-bench's allreduce is compared with (compare-allreduce.sh): the
 * same measurement with no harness around it. Each rank times `iterations` back-to-back
 * MPI_Allreduce calls (float, sum) after `warmup` untimed ones and a barrier, exactly as
 * loom-bench does, and rank 0 prints the mean over ranks of the per-call time in microseconds,
 * which is loom-bench's time_us.avg.
 *
 * Usage: mpirun -np 2 allreduce_loop BYTES ITERATIONS WARMUP
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, ranks = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    if (argc != 4) {
        if (rank == 0) fprintf(stderr, "usage: allreduce_loop BYTES ITERATIONS WARMUP\n");
        MPI_Finalize();
        return 1;
    }
    long bytes = atol(argv[1]);
    long iterations = atol(argv[2]);
    long warmup = atol(argv[3]);
    int count = (int)(bytes / (long)sizeof(float));
    if (count < 1 || iterations < 1 || warmup < 0) {
        if (rank == 0) fprintf(stderr, "allreduce_loop: BYTES >= 4, ITERATIONS >= 1, WARMUP >= 0\n");
        MPI_Finalize();
        return 1;
    }
    float *send = malloc(sizeof(float) * (size_t)count);
    float *receive = malloc(sizeof(float) * (size_t)count);
    if (send == NULL || receive == NULL) MPI_Abort(MPI_COMM_WORLD, 1);
    for (int i = 0; i < count; i++) send[i] = (float)(rank + i % 7);

    for (long i = 0; i < warmup; i++)
        MPI_Allreduce(send, receive, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    for (long i = 0; i < iterations; i++)
        MPI_Allreduce(send, receive, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    double mine = (MPI_Wtime() - start) / (double)iterations * 1e6;

    double total = 0;
    MPI_Reduce(&mine, &total, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0) printf("%.4f\n", total / ranks);
    free(send);
    free(receive);
    MPI_Finalize();
    return 0;
}
