/*
 * LD_PRELOAD shim: makes the oneMKL linked statically into libtorch_cpu.so take its AVX-512
 * kernels on non-Intel CPUs that have AVX-512 (e.g. AMD Zen 4/5), roughly doubling fp32 GEMM
 * throughput there (DJL.md section 7: 194 -> 419 GFLOP/s at n = 2048 on 2 threads).
 *
 * libtorch_cpu.so exports MKL's service function `int mkl_serv_cpu_detect(void)` (no arguments,
 * result in eax: it returns the cached global mkl_cpu_type, detecting it on the first call).
 * MKL's own detection gives AMD processors code 5 (AVX2); 7 selects the AVX-512 code path.
 * A preloaded definition wins symbol resolution, so MKL's dispatch sees 7.
 *
 * Only load this on a CPU with AVX-512F, BW, DQ and VL (bin/mkl-avx512 checks /proc/cpuinfo);
 * elsewhere the process dies of an illegal instruction in the first large GEMM.
 */
int mkl_serv_cpu_detect(void) {
    return 7;
}
