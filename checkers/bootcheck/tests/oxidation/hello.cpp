#include <iostream>
#include <string>
#include <vector>

int main(int argc, char **argv) {
    std::vector<std::string> args(argv, argv + argc);
    std::cout << "hello from C++, " << args.size() - 1 << " argument(s)" << std::endl;
    return 0;
}
