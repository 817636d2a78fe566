// CMPI: the few MPI handles Swift cannot import, as functions. See README.md beside this file.
//
// OpenMPI defines its predefined handles as macros that cast the address of a library global,
// e.g. `#define MPI_COMM_WORLD ((MPI_Comm) &(ompi_mpi_comm_world))`. Swift's importer only
// imports macros that are plain constants, so each handle Loom uses is returned by one
// `static inline` function here. Everything else in <mpi.h> (functions, types, integer
// constants such as MPI_SUCCESS) Swift imports directly.
#ifndef LOOM_CMPI_SHIM_H
#define LOOM_CMPI_SHIM_H

#include <mpi.h>

/// The communicator of all ranks started by mpirun (MPI_COMM_WORLD).
static inline MPI_Comm loom_mpi_comm_world(void) { return MPI_COMM_WORLD; }
/// The null communicator (MPI_COMM_NULL), returned by splits a rank takes no part in.
static inline MPI_Comm loom_mpi_comm_null(void) { return MPI_COMM_NULL; }
/// The null info object (MPI_INFO_NULL), for calls that take optional hints.
static inline MPI_Info loom_mpi_info_null(void) { return MPI_INFO_NULL; }
/// The error handler that makes MPI calls return error codes instead of aborting (MPI_ERRORS_RETURN).
static inline MPI_Errhandler loom_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
/// 32-bit IEEE float elements (MPI_FLOAT).
static inline MPI_Datatype loom_mpi_float(void) { return MPI_FLOAT; }
/// 64-bit IEEE double elements (MPI_DOUBLE).
static inline MPI_Datatype loom_mpi_double(void) { return MPI_DOUBLE; }
/// 32-bit signed integer elements (MPI_INT32_T).
static inline MPI_Datatype loom_mpi_int32(void) { return MPI_INT32_T; }
/// Single bytes (MPI_CHAR), used to exchange host names.
static inline MPI_Datatype loom_mpi_char(void) { return MPI_CHAR; }
/// The element-wise sum reduction (MPI_SUM).
static inline MPI_Op loom_mpi_sum(void) { return MPI_SUM; }
/// The element-wise minimum reduction (MPI_MIN).
static inline MPI_Op loom_mpi_min(void) { return MPI_MIN; }
/// The element-wise maximum reduction (MPI_MAX).
static inline MPI_Op loom_mpi_max(void) { return MPI_MAX; }
/// Marks a collective's send buffer as "use the receive buffer" (MPI_IN_PLACE).
static inline void *loom_mpi_in_place(void) { return MPI_IN_PLACE; }
/// Tells receive calls not to fill in a status (MPI_STATUS_IGNORE).
static inline MPI_Status *loom_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }

#endif
