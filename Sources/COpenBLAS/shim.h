#include <stddef.h>
#include <cblas.h>

/* LAPACK routines that OpenBLAS exports, declared here because Debian's libopenblas-dev ships no LAPACK
   header. Fortran calling convention: every argument by pointer, and the hidden length of the one-character
   `uplo` argument passed last, as gfortran expects. */
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t uplo_length);
void dpotri_(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t uplo_length);
/* Eigenvalues (ascending) and eigenvectors of a symmetric matrix: efficient leave-one-out for ridge. */
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w, double *work,
            const int *lwork, int *info, size_t jobz_length, size_t uplo_length);
