echo salainen > ../salaisuus.txt
ln -s ../../salaisuus.txt content/salaisuus.md
